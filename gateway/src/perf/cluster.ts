import cluster, { type Worker } from 'node:cluster';
import type { Logger } from '@fabline/shared/logger';

/**
 * Runs in the cluster's primary process: forks `count` workers, each of which runs `main.ts` and
 * serves on the shared port (node:cluster hands connections out round-robin), so a gateway uses
 * every core it is given. A worker that dies is replaced, unless workers keep dying right after
 * start (a broken config), when the primary gives up. SIGTERM/SIGINT are passed on to the
 * workers, which drain and stop; the primary exits when the last one has. Never resolves.
 */
export function superviseWorkers(count: number, logger: Logger): Promise<never> {
  let stopping = false;
  let quickDeaths = 0;
  const startedAt = new Map<Worker, number>();
  const fork = () => startedAt.set(cluster.fork(), Date.now());

  // the workers share one port; the first to listen reports it to whoever started this process (startStack)
  let announced = false;
  cluster.on('message', (_worker, message: { listening?: unknown }) => {
    if (announced || typeof message?.listening !== 'number') return;
    announced = true;
    process.send?.(message);
  });
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (startedAt.get(worker) ?? 0);
    startedAt.delete(worker);
    if (stopping) {
      if (startedAt.size === 0) process.exit(0);
      return;
    }
    quickDeaths = lived < 5000 ? quickDeaths + 1 : 0;
    if (quickDeaths >= count * 2) {
      logger.fatal({ code, signal }, 'gateway workers keep dying right after start; stopping');
      process.exit(1);
    }
    logger.error({ pid: worker.process.pid, code, signal }, 'gateway worker died; starting another');
    fork();
  });
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.on(signal, () => {
      stopping = true;
      for (const worker of startedAt.keys()) worker.process.kill('SIGTERM');
      if (startedAt.size === 0) process.exit(0);
    });
  }
  for (let i = 0; i < count; i++) fork();
  logger.info({ workers: count }, 'gateway primary started its workers');
  return new Promise<never>(() => {});
}
