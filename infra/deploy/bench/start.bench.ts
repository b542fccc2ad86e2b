/**
 * Start time to ready and memory of each process: the sources through tsx (how `npm start` and the
 * tests run them, and how the image ran them before) against the production build of
 * infra/deploy/build.mjs (`node dist/<process>.mjs`, what the image runs now). Not a test: prints figures.
 *   npm run bench:start               (BENCH_ROUNDS=5 by default)
 * One stack (databases, broker, the subgraphs the gateway composes) runs throughout; each measured
 * process is one more instance beside it on a free port, started alone, the two ways alternating.
 * "ready" is the first 200 from its /readyz; RSS is read from /proc once it is ready and again 1 s later.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import { startStack } from '@fabline/dev';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const root = new URL('../../../', import.meta.url).pathname;

const PROCESSES = [
  { name: 'gateway', cwd: 'gateway', source: 'src/main.ts', bundle: 'gateway', portVar: 'GATEWAY_PORT', env: { METRICS_PORT: '0' } },
  { name: 'shop', cwd: 'subgraphs/shop', source: 'src/main.ts', bundle: 'shop', portVar: 'SHOP_PORT', env: {} },
  { name: 'crm', cwd: 'subgraphs/crm', source: 'src/main.ts', bundle: 'crm', portVar: 'CRM_PORT', env: {} },
  { name: 'mes', cwd: 'subgraphs/mes', source: 'src/main.ts', bundle: 'mes', portVar: 'MES_PORT', env: {} },
  { name: 'price-worker', cwd: 'subgraphs/mes', source: 'src/worker.ts', bundle: 'price-worker', portVar: 'WORKER_PORT', env: {} },
] as const;
type Mode = 'tsx' | 'built';

const rssMb = (pid: number) => Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m)?.[1]) / 1024;

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });

async function measure(spec: (typeof PROCESSES)[number], mode: Mode, dist: string, env: Record<string, string>) {
  const args = mode === 'built' ? [`${dist}/${spec.bundle}.mjs`] : ['--import', 'tsx', spec.source];
  const started = performance.now();
  const child = spawn(process.execPath, args, {
    cwd: `${root}${spec.cwd}`,
    env: { ...process.env, ...env, ...spec.env, [spec.portVar]: '0', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.on('message', (m: { listening?: number }) => typeof m?.listening === 'number' && resolve(m.listening));
      child.once('exit', (code) => reject(new Error(`${spec.name} (${mode}) exited with ${code} while starting`)));
    });
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      await sleep(10);
    }
    const readyMs = performance.now() - started;
    const rssReady = rssMb(child.pid as number);
    await sleep(1000);
    return { readyMs, rssReady, rssSettled: rssMb(child.pid as number) };
  } finally {
    child.kill('SIGTERM');
    await exited(child);
  }
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
};

const dist = mkdtempSync(`${tmpdir()}/fabline-bench-dist-`);
const build = spawnSync(process.execPath, [`${root}infra/deploy/build.mjs`, dist], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
const results = new Map<string, { readyMs: number[]; rssReady: number[]; rssSettled: number[] }>();
try {
  console.log(`Node ${process.version}, ${ROUNDS} rounds, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  for (let round = 0; round < ROUNDS; round++) {
    for (const spec of PROCESSES) {
      // alternate which way goes first: a warm page cache favours the second
      const modes: Mode[] = round % 2 ? ['built', 'tsx'] : ['tsx', 'built'];
      for (const mode of modes) {
        const figures = await measure(spec, mode, dist, stack.env);
        const key = `${spec.name} ${mode}`;
        const entry = results.get(key) ?? { readyMs: [], rssReady: [], rssSettled: [] };
        entry.readyMs.push(figures.readyMs);
        entry.rssReady.push(figures.rssReady);
        entry.rssSettled.push(figures.rssSettled);
        results.set(key, entry);
      }
    }
  }
  console.log('\nprocess        ready ms (tsx → built)      RSS MB at ready (tsx → built)   RSS MB 1 s later (tsx → built)');
  for (const spec of PROCESSES) {
    const tsx = results.get(`${spec.name} tsx`);
    const built = results.get(`${spec.name} built`);
    if (!tsx || !built) continue;
    const row = (a: number[], b: number[], digits: number) =>
      `${median(a).toFixed(digits)} → ${median(b).toFixed(digits)} (${((median(b) / median(a) - 1) * 100).toFixed(0)} %)`.padEnd(32);
    console.log(
      `${spec.name.padEnd(15)}${row(tsx.readyMs, built.readyMs, 0)}${row(tsx.rssReady, built.rssReady, 1)}${row(tsx.rssSettled, built.rssSettled, 1)}`,
    );
  }
  console.log('\nmedians of the rounds; every start ran beside the same stack, one process at a time');
} finally {
  await stack.stop();
  rmSync(dist, { recursive: true, force: true });
}
