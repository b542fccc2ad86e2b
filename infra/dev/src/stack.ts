import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { setupDatabase as setupCrm } from '@fabline/crm/setup';
import { setupDatabase as setupMes } from '@fabline/mes/setup';
import { databaseUrlFor, dropDatabase } from '@fabline/shared/database';
import { setupDatabase as setupShop } from '@fabline/shop/setup';
import { removeNamespace } from './cleanup.ts';
import { type TcpProxy, tcpProxy } from './tcpProxy.ts';

const root = new URL('../../../', import.meta.url).pathname;

export interface StackOptions {
  /** Prefix for Redis keys, exchanges and queues. @default a random `fabline_test_…` */
  namespace?: string;
  /** Database names are `<prefix>_shop`, `<prefix>_crm`, `<prefix>_mes`. @default the namespace */
  databasePrefix?: string;
  /** Server URL without a database. @default postgresql://postgres@127.0.0.1:5432 */
  postgresUrl?: string;
  /** Fixed ports; 0 (the default) lets each process bind a free port itself and report it. @default all 0 */
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
  /**
   * Run the production build in this folder (`node infra/deploy/build.mjs <dir>`: `node <dir>/gateway.mjs`, …)
   * instead of the sources through tsx. @default the sources
   */
  built?: string;
}

export type ProcessKind = 'gateway' | 'shop' | 'crm' | 'mes' | 'worker';

export interface Stack {
  namespace: string;
  urls: { gateway: string; shop: string; crm: string; mes: string };
  /** Health and /metrics base of the first price worker (`http://127.0.0.1:<port>`). */
  workerUrl: string;
  databaseUrls: { shop: string; crm: string; mes: string };
  env: Record<string, string>;
  /** Every process by name (`gateway`, `shop`, `crm`, `mes`, `worker-1`, …; extras get a number). */
  processes: Map<string, ChildProcess>;
  /** Starts one more process of the kind given (e.g. a second gateway replica), on a port it picks itself. */
  spawnExtra(kind: 'gateway' | 'worker', env?: Record<string, string>): Promise<{ url: string; child: ChildProcess }>;
  /**
   * Starts a process again under its name (after it died or a test killed it), a gateway or subgraph
   * on its old port (the others know it), with extra env; resolves when it is ready. While another
   * process holds that port it retries until `readyTimeoutMs`, then fails naming the port.
   */
  restart(kind: 'shop' | 'crm' | 'mes' | 'gateway', env?: Record<string, string>): Promise<ChildProcess>;
  restart(name: string, env?: Record<string, string>): Promise<ChildProcess>;
  stop(): Promise<void>;
}

/** A port free at the moment of asking; another process may take it before you bind it (prefer binding port 0). */
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

/** The bundle of each kind in a build (infra/deploy/build.mjs). */
const BUNDLE = { gateway: 'gateway', shop: 'shop', crm: 'crm', mes: 'mes', worker: 'price-worker' } as const;

const PORT_VAR = { gateway: 'GATEWAY_PORT', shop: 'SHOP_PORT', crm: 'CRM_PORT', mes: 'MES_PORT', worker: 'WORKER_PORT' } as const;

/** The last lines a process wrote, for the error when it dies while starting. */
class LogTail {
  private text = '';
  push(chunk: Buffer) {
    this.text = (this.text + chunk.toString()).slice(-4000);
  }
  toString() {
    return this.text.split('\n').slice(-15).join('\n').trim();
  }
}

export class ProcessStartError extends Error {
  override name = 'ProcessStartError';
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(logTail ? `${message}; its last log lines:\n${logTail}` : message);
  }
}

interface Launched {
  name: string;
  kind: ProcessKind;
  child: ChildProcess;
  tail: LogTail;
  /** Resolves with the port the process reports having bound (`{ listening: port }` over IPC). */
  listening: Promise<number>;
  /** The port of a gateway's internal /metrics listener, reported beside its own (`{ metrics: port }`). */
  metricsPort?: number;
}

/**
 * A stack whose process never became ready costs the whole `readyTimeoutMs`; on a machine where no
 * stack can start (a service that accepts connections but never answers, say) every e2e file would
 * wait that long in turn and the run would outlast CI's limit before printing why. So each such
 * timeout is printed at once, and `npm test` (which names the run in FABLINE_TEST_RUN) records it: after
 * `STACK_TIMEOUTS_BEFORE_GIVING_UP` of them, later stacks of the run fail at once, naming the first.
 */
const STACK_TIMEOUTS_BEFORE_GIVING_UP = 2;
const timeoutLog = () => (process.env.FABLINE_TEST_RUN ? `${root}.data/stack-timeouts-${process.env.FABLINE_TEST_RUN}.log` : undefined);

function giveUpAfterRepeatedTimeouts() {
  const log = timeoutLog();
  if (!log || !existsSync(log)) return;
  const timeouts = readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as string);
  if (timeouts.length >= STACK_TIMEOUTS_BEFORE_GIVING_UP)
    throw new Error(`not started: ${timeouts.length} stacks of this test run did not become ready in time; the first:\n${timeouts[0]}`);
}

function noteStartFailure(error: unknown) {
  const text = error instanceof Error ? error.message : String(error);
  console.error(`startStack failed: ${text}`);
  const log = timeoutLog();
  if (log && /did not listen within|was not ready on port/.test(text)) {
    mkdirSync(`${root}.data`, { recursive: true });
    appendFileSync(log, `${JSON.stringify(text)}\n`);
  }
}

const isPortTaken = (error: unknown) => error instanceof ProcessStartError && /EADDRINUSE/.test(error.logTail);

/** Creates, migrates and seeds the three databases, then starts gateway, subgraphs and workers. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  giveUpAfterRepeatedTimeouts();
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

  const dataDir = options.dataDir ?? `${root}.data/${namespace}`;
  mkdirSync(dataDir, { recursive: true });
  const env: Record<string, string> = {
    NAMESPACE: namespace,
    DATA_DIR: dataDir,
    SHOP_DATABASE_URL: databaseUrls.shop,
    CRM_DATABASE_URL: databaseUrls.crm,
    MES_DATABASE_URL: databaseUrls.mes,
    // the URLs below are 127.0.0.1 ones; a HOST of the caller's shell must not move the processes elsewhere
    HOST: '127.0.0.1',
    ...options.env,
  };
  const ports: Record<ProcessKind, number> = {
    gateway: options.ports?.gateway ?? 0,
    shop: options.ports?.shop ?? 0,
    crm: options.ports?.crm ?? 0,
    mes: options.ports?.mes ?? 0,
    worker: Number(options.env?.WORKER_PORT) || 0,
  };
  const urlOf = (port: number) => `http://127.0.0.1:${port}/graphql`;
  // shop and mes call each other, and the shop links files under the gateway's address: where such a
  // port is not fixed, the caller reaches it through a relay this stack holds open (nothing can take
  // its port meanwhile), pointed at the real port once the process has reported it
  const relays = new Map<ProcessKind, TcpProxy>();
  const peerPort = async (kind: 'gateway' | 'shop' | 'mes') => {
    if (ports[kind]) return ports[kind];
    const relay = await tcpProxy(0);
    relays.set(kind, relay);
    return relay.port;
  };
  const peers = { gateway: await peerPort('gateway'), shop: await peerPort('shop'), mes: await peerPort('mes') };
  env.FILES_PUBLIC_URL ??= `http://127.0.0.1:${peers.gateway}`;
  /** Environment of one kind on top of `env` (the gateway's is set once the subgraphs' ports are known). */
  const kindEnv: Record<ProcessKind, Record<string, string>> = {
    gateway: {},
    shop: { MES_URL: urlOf(peers.mes) },
    crm: {},
    mes: { SHOP_URL: urlOf(peers.shop) },
    worker: { SHOP_URL: urlOf(peers.shop) },
  };

  const processes = new Map<string, ChildProcess>();
  const kinds = new Map<string, ProcessKind>();
  let counter = 0;
  let stopping = false;

  const launch = (kind: ProcessKind, port: number, extraEnv: Record<string, string> = {}, reuseName?: string): Launched => {
    const [dir, file] = ENTRY[kind];
    const name = reuseName ?? (kind === 'worker' || processes.has(kind) ? `${kind}-${++counter}` : kind);
    const args = options.built ? [`${options.built}/${BUNDLE[kind]}.mjs`] : ['--import', 'tsx', file];
    const child = spawn(process.execPath, args, {
      cwd: `${root}${dir}`,
      env: { ...process.env, ...env, ...kindEnv[kind], ...extraEnv, [PORT_VAR[kind]]: String(port) },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const tail = new LogTail();
    child.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
    if (options.logs === 'inherit') {
      const tag = `[${name}] `.padEnd(12);
      const forward = (chunk: Buffer) => process.stdout.write(chunk.toString().replace(/^(?=.)/gm, tag));
      child.stdout?.on('data', forward);
      child.stderr?.on('data', forward);
    } else {
      const logDir = options.logs?.dir ?? `${dataDir}/logs`;
      mkdirSync(logDir, { recursive: true });
      const out = createWriteStream(`${logDir}/${name}.log`, { flags: 'a' });
      child.stdout?.pipe(out);
      child.stderr?.pipe(out);
    }
    const listening = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new ProcessStartError(`${name} did not listen within ${readyTimeoutMs / 1000}s`, tail.toString())), readyTimeoutMs);
      child.on('message', (message: { listening?: unknown; metrics?: unknown }) => {
        if (typeof message?.listening !== 'number') return;
        if (typeof message.metrics === 'number') launched.metricsPort = message.metrics;
        clearTimeout(timer);
        resolve(message.listening);
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        // the stdio streams may still hold the last lines (the error) after 'exit'
        setImmediate(() => reject(new ProcessStartError(`${name} exited (${signal ?? `code ${code}`}) while starting`, tail.toString())));
      });
    });
    listening.catch(() => {}); // observed by whoever waits for it; a later exit must not be unhandled
    processes.set(name, child);
    kinds.set(name, kind);
    const launched: Launched = { name, kind, child, tail, listening };
    return launched;
  };

  /** Waits until the process reported its port and answers /readyz there (it holds the port, so the answer is its own). */
  const ready = async (launched: Launched) => {
    const { name, child, tail, listening } = launched;
    const port = await listening;
    if (launched.metricsPort !== undefined) gatewayMetrics.set(urlOf(port), `http://127.0.0.1:${launched.metricsPort}/metrics`);
    const deadline = Date.now() + readyTimeoutMs;
    const died = () => new ProcessStartError(`${name} exited (${child.signalCode ?? `code ${child.exitCode}`}) while starting`, tail.toString());
    if (child.exitCode !== null || child.signalCode !== null) throw died();
    const exited = new Promise<never>((_, reject) => child.once('exit', () => setImmediate(() => reject(died()))));
    exited.catch(() => {});
    while (Date.now() < deadline) {
      const answered = await Promise.race([
        fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
          (response) => response.ok,
          () => false,
        ),
        exited,
      ]);
      if (answered) return port;
      await Promise.race([sleep(150), exited]);
    }
    throw new ProcessStartError(`${name} was not ready on port ${port} within ${readyTimeoutMs / 1000}s`, tail.toString());
  };

  /** Starts `kind` on a fixed port; while another process holds it, tries again until the deadline. */
  const startOnPort = async (kind: ProcessKind, port: number, extraEnv: Record<string, string>, reuseName?: string) => {
    const deadline = Date.now() + readyTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const launched = launch(kind, port, extraEnv, reuseName);
      try {
        await ready(launched);
        return launched;
      } catch (error) {
        if (stopping || !port || !isPortTaken(error) || Date.now() > deadline) {
          if (isPortTaken(error))
            throw new ProcessStartError(`${launched.name} could not bind port ${port}: another process holds it`, (error as ProcessStartError).logTail);
          throw error;
        }
        reuseName = launched.name;
        await sleep(Math.min(200 * attempt, 2000));
      }
    }
  };

  const stop = async () => {
    stopping = true;
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
    await Promise.all([...relays.values()].map((relay) => relay.close()));
    if (options.dropDatabasesOnStop ?? generated) await Promise.all(Object.values(databaseUrls).map((url) => dropDatabase(url)));
    // the services the test runner itself uses (a test may have pointed the processes at a relay)
    if (generated)
      await removeNamespace(namespace, { redisUrl: process.env.REDIS_URL, rabbitUrl: process.env.RABBITMQ_URL }).catch((error: unknown) =>
        console.error(`stack ${namespace}: its queues and Redis keys stay (the next npm test sweeps them): ${error}`),
      );
  };

  try {
    const subgraphs = (['shop', 'crm', 'mes'] as const).map((kind) => launch(kind, ports[kind]));
    const worker = launch('worker', ports.worker);
    // every process binds its port itself (0: any free one) and reports it; the gateway starts once the subgraphs' are known
    const bound = await Promise.all(subgraphs.map(ready));
    subgraphs.forEach((launched, i) => {
      ports[launched.kind] = bound[i] as number;
    });
    relays.get('shop')?.retarget(ports.shop);
    relays.get('mes')?.retarget(ports.mes);
    const urls = { SHOP_URL: urlOf(ports.shop), CRM_URL: urlOf(ports.crm), MES_URL: urlOf(ports.mes) };
    // each gateway's internal /metrics listener binds a free port too, reported beside its own
    kindEnv.gateway = { METRICS_PORT: options.env?.METRICS_PORT ?? '0', ...urls };
    const gateway = launch('gateway', ports.gateway);
    ports.gateway = await ready(gateway);
    relays.get('gateway')?.retarget(ports.gateway);
    ports.worker = await ready(worker);
    Object.assign(env, urls, {
      GATEWAY_PORT: String(ports.gateway),
      SHOP_PORT: String(ports.shop),
      CRM_PORT: String(ports.crm),
      MES_PORT: String(ports.mes),
      ...options.env,
    });
    for (let i = 1; i < (options.workers ?? 1); i++) launch('worker', 0);
  } catch (error) {
    noteStartFailure(error);
    await stop();
    throw error;
  }

  return {
    namespace,
    urls: { gateway: urlOf(ports.gateway), shop: urlOf(ports.shop), crm: urlOf(ports.crm), mes: urlOf(ports.mes) },
    workerUrl: `http://127.0.0.1:${ports.worker}`,
    databaseUrls,
    env,
    processes,
    stop,
    async restart(name: string, extraEnv: Record<string, string> = {}) {
      const kind = kinds.get(name) ?? (name in ENTRY ? (name as ProcessKind) : undefined);
      if (!kind) throw new Error(`no process named ${name} in this stack`);
      const old = processes.get(name);
      if (old && old.exitCode === null && old.signalCode === null) throw new Error(`${name} is still running`);
      // a worker's port is known to no one: it binds any; the others come back where their peers expect them
      const { child } = await startOnPort(kind, kind === 'worker' ? 0 : ports[kind], extraEnv, name);
      return child;
    },
    async spawnExtra(kind, extraEnv = {}) {
      const launched = launch(kind, 0, extraEnv);
      const port = await ready(launched);
      return { url: urlOf(port), child: launched.child };
    },
  };
}

/** The internal metrics address of each gateway a stack started, by its GraphQL URL. */
const gatewayMetrics = new Map<string, string>();

/** Where the /metrics of the process serving `graphqlUrl` is scraped (a gateway's are on its METRICS_PORT). */
export function metricsUrlOf(graphqlUrl: string): string {
  return gatewayMetrics.get(graphqlUrl) ?? graphqlUrl.replace('/graphql', '/metrics');
}
