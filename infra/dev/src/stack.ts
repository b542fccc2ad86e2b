import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setupDatabase as setupCrm } from '@fabline/crm/setup';
import { setupDatabase as setupMes } from '@fabline/mes/setup';
import { databaseUrlFor, dropDatabase } from '@fabline/shared/database';
import { setupDatabase as setupShop } from '@fabline/shop/setup';

const root = new URL('../../../', import.meta.url).pathname;

export interface StackOptions {
  /** Prefix for Redis keys, exchanges and queues. @default a random `fabline_test_…` */
  namespace?: string;
  /** Database names are `<prefix>_shop`, `<prefix>_crm`, `<prefix>_mes`. @default the namespace */
  databasePrefix?: string;
  /** Server URL without a database. @default postgresql://postgres@127.0.0.1:5432 */
  postgresUrl?: string;
  /** 0 picks free ports. @default all 0 */
  ports?: Partial<Record<'gateway' | 'shop' | 'crm' | 'mes', number>>;
  dataDir?: string;
  /** Extra environment for every process (REDIS_URL, QUOTE_WAIT_MS, …). */
  env?: Record<string, string>;
  /** Price worker processes. @default 1 */
  workers?: number;
  /** 'inherit' prints every process's JSON logs with a name prefix; a path writes them to files there. */
  logs?: 'inherit' | { dir: string };
  /** Drop the databases on stop. @default true when the namespace was generated */
  dropDatabasesOnStop?: boolean;
  /** How long each process may take to answer /readyz (a shared machine under load starts slowly). @default 150000 */
  readyTimeoutMs?: number;
}

export interface Stack {
  namespace: string;
  urls: { gateway: string; shop: string; crm: string; mes: string };
  /** Health and /metrics base of the first price worker (`http://127.0.0.1:<port>`). */
  workerUrl: string;
  databaseUrls: { shop: string; crm: string; mes: string };
  env: Record<string, string>;
  processes: Map<string, ChildProcess>;
  /** Starts one more process of the kind given (e.g. a second gateway replica), on a free port. */
  spawnExtra(kind: 'gateway' | 'worker', env?: Record<string, string>): Promise<{ url: string; child: ChildProcess }>;
  /** Starts a subgraph again on its port (after a test killed it), with extra env; resolves when ready. */
  restart(kind: 'shop' | 'crm' | 'mes', env?: Record<string, string>): Promise<ChildProcess>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

const ENTRY = {
  gateway: ['gateway', 'src/main.ts'],
  shop: ['subgraphs/shop', 'src/main.ts'],
  crm: ['subgraphs/crm', 'src/main.ts'],
  mes: ['subgraphs/mes', 'src/main.ts'],
  worker: ['subgraphs/mes', 'src/worker.ts'],
} as const;

async function waitReady(name: string, url: string, child: ChildProcess, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode} while starting`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(150);
  }
  throw new Error(`${name} was not ready at ${url} within ${timeoutMs / 1000}s`);
}

/** Creates, migrates and seeds the three databases, then starts gateway, subgraphs and workers. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const generated = !options.namespace;
  const readyTimeoutMs = options.readyTimeoutMs ?? 150_000;
  const namespace = options.namespace ?? `fabline_test_${randomBytes(4).toString('hex')}`;
  const prefix = options.databasePrefix ?? namespace;
  const postgresUrl = options.postgresUrl ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
  const databaseUrls = {
    shop: databaseUrlFor(postgresUrl, `${prefix}_shop`),
    crm: databaseUrlFor(postgresUrl, `${prefix}_crm`),
    mes: databaseUrlFor(postgresUrl, `${prefix}_mes`),
  };
  await Promise.all([setupShop(databaseUrls.shop), setupCrm(databaseUrls.crm), setupMes(databaseUrls.mes)]);

  const port = async (kind: keyof NonNullable<StackOptions['ports']>) => options.ports?.[kind] || (await freePort());
  const ports = { gateway: await port('gateway'), shop: await port('shop'), crm: await port('crm'), mes: await port('mes') };
  const workerPort = Number(options.env?.WORKER_PORT) || (await freePort());
  const urls = {
    gateway: `http://127.0.0.1:${ports.gateway}/graphql`,
    shop: `http://127.0.0.1:${ports.shop}/graphql`,
    crm: `http://127.0.0.1:${ports.crm}/graphql`,
    mes: `http://127.0.0.1:${ports.mes}/graphql`,
  };
  const dataDir = options.dataDir ?? `${root}.data/${namespace}`;
  mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = {
    NAMESPACE: namespace,
    DATA_DIR: dataDir,
    SHOP_DATABASE_URL: databaseUrls.shop,
    CRM_DATABASE_URL: databaseUrls.crm,
    MES_DATABASE_URL: databaseUrls.mes,
    SHOP_URL: urls.shop,
    CRM_URL: urls.crm,
    MES_URL: urls.mes,
    GATEWAY_PORT: String(ports.gateway),
    FILES_PUBLIC_URL: `http://127.0.0.1:${ports.gateway}`,
    SHOP_PORT: String(ports.shop),
    CRM_PORT: String(ports.crm),
    MES_PORT: String(ports.mes),
    ...options.env,
  };
  const processes = new Map<string, ChildProcess>();
  let counter = 0;

  const launch = (kind: keyof typeof ENTRY, extraEnv: Record<string, string> = {}) => {
    const [dir, file] = ENTRY[kind];
    const name = kind === 'worker' || processes.has(kind) ? `${kind}-${++counter}` : kind;
    const child = spawn(process.execPath, ['--import', 'tsx', file], {
      cwd: `${root}${dir}`,
      env: { ...process.env, ...env, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (options.logs === 'inherit') {
      const tag = `[${name}] `.padEnd(12);
      const forward = (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, tag));
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
    } else {
      const logDir = options.logs?.dir ?? `${dataDir}/logs`;
      mkdirSync(logDir, { recursive: true });
      const out = createWriteStream(`${logDir}/${name}.log`);
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
    }
    processes.set(name, child);
    return { name, child };
  };

  const stop = async () => {
    const exits = [...processes.values()].map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill('SIGTERM');
        }),
    );
    await Promise.all(exits);
    if (options.dropDatabasesOnStop ?? generated) await Promise.all(Object.values(databaseUrls).map((url) => dropDatabase(url)));
  };

  try {
    const started = (['shop', 'crm', 'mes'] as const).map((kind) => ({ kind, ...launch(kind) }));
    const worker = launch('worker', { WORKER_PORT: String(workerPort) });
    await Promise.all(started.map(({ kind, name, child }) => waitReady(name, urls[kind].replace('/graphql', '/readyz'), child, readyTimeoutMs)));
    const metricsPort = await freePort();
    gatewayMetrics.set(urls.gateway, `http://127.0.0.1:${metricsPort}/metrics`);
    const gateway = launch('gateway', { METRICS_PORT: String(metricsPort) });
    await waitReady('gateway', urls.gateway.replace('/graphql', '/readyz'), gateway.child, readyTimeoutMs);
    await sleep(300);
    if (worker.child.exitCode !== null) throw new Error(`price worker exited with code ${worker.child.exitCode}`);
    for (let i = 1; i < (options.workers ?? 1); i++) launch('worker', { WORKER_PORT: '0' });
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    namespace,
    urls,
    workerUrl: `http://127.0.0.1:${workerPort}`,
    databaseUrls,
    env,
    processes,
    stop,
    async restart(kind, extraEnv = {}) {
      const { name, child } = launch(kind, extraEnv);
      await waitReady(name, urls[kind].replace('/graphql', '/readyz'), child, readyTimeoutMs);
      return child;
    },
    async spawnExtra(kind, extraEnv = {}) {
      const extraPort = await freePort();
      const metricsPort = kind === 'gateway' ? await freePort() : 0;
      const portEnv: Record<string, string> =
        kind === 'gateway' ? { GATEWAY_PORT: String(extraPort), METRICS_PORT: String(metricsPort) } : { WORKER_PORT: String(extraPort) };
      if (kind === 'gateway') gatewayMetrics.set(`http://127.0.0.1:${extraPort}/graphql`, `http://127.0.0.1:${metricsPort}/metrics`);
      const { name, child } = launch(kind, { ...portEnv, ...extraEnv });
      await waitReady(name, `http://127.0.0.1:${extraPort}/readyz`, child, readyTimeoutMs);
      return { url: `http://127.0.0.1:${extraPort}/graphql`, child };
    },
  };
}

/** The internal metrics address of each gateway a stack started, by its GraphQL URL. */
const gatewayMetrics = new Map<string, string>();

/** Where the /metrics of the process serving `graphqlUrl` is scraped (a gateway's are on its METRICS_PORT). */
export function metricsUrlOf(graphqlUrl: string): string {
  return gatewayMetrics.get(graphqlUrl) ?? graphqlUrl.replace('/graphql', '/metrics');
}
