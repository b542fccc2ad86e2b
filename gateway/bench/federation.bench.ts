import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import { sampleTree } from './proc.ts';
import { QUERY } from './subgraphs/data.ts';
import { writeSupergraph } from './supergraph.ts';

/**
 * The public federation gateway benchmark on this machine: four subgraphs, one nested query, 50
 * connections; plain @apollo/gateway, Hive Gateway (with its JavaScript and with its Rust query planner) and Fabline's gateway one after another on the
 * same subgraphs, with a table of throughput, latency, failures, memory and CPU.
 *
 *   npm run bench:federation -- --seconds=20 --only=apollo,fabline
 *   npm run bench:federation -- --only=fabline+SUBGRAPH_DEDUPE=false,fabline   (a variant: a gateway with extra env)
 * env: BENCH_SECONDS (20), BENCH_WARMUP_SECONDS (5), BENCH_CONNECTIONS (50),
 *      BENCH_WORKERS (cluster workers per gateway, default: cores),
 *      BENCH_GATEWAYS (apollo,hive,hive+HIVE_INBOUND_DEDUPE=false,hive-router,hive-router+HIVE_INBOUND_DEDUPE=false,fabline,fabline+GATEWAY_INBOUND_DEDUPE=false;
 *      hive-router is Hive Gateway with the Rust query planner of @graphql-hive/router-runtime),
 *      BENCH_ROUNDS (1): gateways take turns this many times and each row is the gateway's median round,
 *      so a burst of other work on the machine does not land on one gateway only
 */
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seconds = Number(arg('seconds') ?? process.env.BENCH_SECONDS ?? 20);
const warmup = Number(arg('warmup') ?? process.env.BENCH_WARMUP_SECONDS ?? 5);
const connections = Number(arg('connections') ?? process.env.BENCH_CONNECTIONS ?? 50);
const workers = Number(arg('workers') ?? process.env.BENCH_WORKERS ?? availableParallelism());
const rounds = Number(arg('rounds') ?? process.env.BENCH_ROUNDS ?? 1);
const only = (
  arg('only') ??
  process.env.BENCH_GATEWAYS ??
  'apollo,hive,hive+HIVE_INBOUND_DEDUPE=false,hive-router,hive-router+HIVE_INBOUND_DEDUPE=false,fabline,fabline+GATEWAY_INBOUND_DEDUPE=false'
).split(',');

const here = new URL('.', import.meta.url).pathname;
const gatewayDir = join(here, '..');
const tsx = ['--import', 'tsx'];

interface Peer {
  name: string;
  label: string;
  start(port: number, supergraph: string, extra?: Record<string, string>): ChildProcess;
}

const run = (args: string[], env: Record<string, string>, cwd = gatewayDir) =>
  spawn(process.execPath, args, { cwd, env: { ...process.env, NODE_ENV: 'production', ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });

const secret = () => randomBytes(24).toString('hex');

/** Hive Gateway's CLI from its own workspace package (`dir`), configured by that package's gateway.config.ts. */
function hivePeer(name: string, label: string, dir: string, jit: boolean): Peer {
  return {
    name,
    label,
    start: (port, supergraph, extra) =>
      run(
        [
          join(here, dir, 'node_modules/@graphql-hive/gateway/dist/bin.js'),
          'supergraph',
          supergraph,
          '--port',
          String(port),
          '--host',
          '127.0.0.1',
          ...(jit ? ['--jit'] : []),
          '--fork',
          String(workers),
          '-c',
          join(here, dir, 'gateway.config.ts'),
        ],
        { ...extra },
        join(here, dir),
      ),
  };
}
const peers: Peer[] = [
  {
    name: 'apollo',
    label: 'plain @apollo/gateway 2.14 + @apollo/server 5',
    start: (port, supergraph, extra) =>
      run([...tsx, 'bench/gateways/apollo.ts'], { PORT: String(port), SUPERGRAPH_PATH: supergraph, FORK: String(workers), ...extra }),
  },
  hivePeer('hive', 'Hive Gateway 2.15.1 (--jit, inbound dedupe)', 'hive-peer', true),
  hivePeer('hive-router', 'Hive Gateway 2.15.1 + @graphql-hive/router-runtime 1.4.23 (Rust query planner, inbound dedupe)', 'hive-router-peer', false),
  {
    name: 'fabline',
    label: "Fabline's gateway (gateway/src/main.ts)",
    // NODE_FLAGS in a variant (fabline+NODE_FLAGS=--max-semi-space-size=32) go on the node command line.
    start: (port, supergraph, { NODE_FLAGS, ...extra } = {}) =>
      run([...(NODE_FLAGS ? NODE_FLAGS.split(' ') : []), ...tsx, 'src/main.ts'], {
        GATEWAY_PORT: String(port),
        SUPERGRAPH_PATH: supergraph,
        GATEWAY_WORKERS: String(workers),
        LOG_LEVEL: 'warn',
        // whole responses are not cached in this comparison (the cache is measured by bench:cache),
        // and the load generator is one client: its per-client limits are lifted
        CACHE_ENABLED: 'false',
        ...UNLIMITED_CLIENT_ENV,
        // the benchmark's client sends its query as text, like a partner of the public API; in
        // production first-party clients would be held to the persisted-query manifest
        PERSISTED_QUERIES_ONLY: 'off',
        INTERNAL_SECRET: secret(),
        JWT_SECRET: secret(),
        ...extra,
      }),
  },
];

async function freePort(): Promise<number> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  return port;
}

async function waitForAnswer(url: string, child: ChildProcess) {
  const deadline = Date.now() + 90_000;
  let last = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`gateway exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: QUERY }) });
      last = await response.text();
      if (response.ok && !last.includes('"errors"')) return;
    } catch (error) {
      last = String(error);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`no valid answer from ${url} within 90s; last: ${last.slice(0, 300)}`);
}

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  failures: number;
  detail: Record<string, number>;
  firstBad?: string;
}

async function load(url: string, loadSeconds: number): Promise<LoadResult> {
  const child = spawn(process.execPath, [...tsx, join(here, 'load.ts')], {
    cwd: gatewayDir,
    env: { ...process.env, LOAD_URL: url, LOAD_SECONDS: String(loadSeconds), LOAD_CONNECTIONS: String(connections) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let line = '';
  for await (const l of createInterface({ input: child.stdout })) line = l;
  return JSON.parse(line) as LoadResult;
}

function stop(child: ChildProcess) {
  try {
    process.kill(-(child.pid as number), 'SIGTERM');
  } catch {}
  return new Promise((r) => setTimeout(r, 1500)).then(() => {
    try {
      process.kill(-(child.pid as number), 'SIGKILL');
    } catch {}
  });
}

const dir = mkdtempSync(join(tmpdir(), 'fabline-bench-'));
const subgraphs = spawn(process.execPath, [...tsx, join(here, 'subgraphs/main.ts')], { cwd: gatewayDir, stdio: ['ignore', 'pipe', 'inherit'], detached: true });
const ready = await new Promise<{ port: number }>((resolve, reject) => {
  createInterface({ input: subgraphs.stdout as NonNullable<typeof subgraphs.stdout> }).once('line', (l) => resolve(JSON.parse(l)));
  subgraphs.once('exit', (code) => reject(new Error(`subgraphs exited with ${code}`)));
});
const supergraph = writeSupergraph(`http://127.0.0.1:${ready.port}`, join(dir, 'supergraph.graphql'));

const startLoad = loadavg()[0] as number;
console.log(
  `federation benchmark: ${connections} connections, ${warmup}s warm-up + ${seconds}s measured per gateway and round, ${rounds} round(s), ${workers} worker(s) each; ` +
    `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; load average ${startLoad.toFixed(2)}`,
);

const runs = only.map((spec) => {
  const [name, ...pairs] = spec.split('+');
  const peer = peers.find((p) => p.name === name);
  if (!peer) throw new Error(`unknown gateway "${name}"; known: ${peers.map((p) => p.name).join(', ')}`);
  const extra = Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
  return { peer: { ...peer, label: pairs.length ? `${peer.label} ${pairs.join(' ')}` : peer.label }, extra };
});

type Row = { peer: Peer; result: LoadResult; rssMb: number; cpu: number; subgraphCpu: number };
const measured = new Map<Peer, Row[]>();
try {
  for (let round = 1; round <= rounds; round++)
    for (const { peer, extra } of runs) {
      const port = await freePort();
      const url = `http://127.0.0.1:${port}/graphql`;
      const child = peer.start(port, supergraph, extra);
      try {
        await waitForAnswer(url, child);
        await load(url, warmup);
        const gatewayUsage = sampleTree(child.pid as number);
        const subgraphUsage = sampleTree(subgraphs.pid as number);
        const result = await load(url, seconds);
        const usage = gatewayUsage.stop();
        const subgraphCpu = subgraphUsage.stop().cpu;
        measured.set(peer, [...(measured.get(peer) ?? []), { peer, result, rssMb: usage.peakRssMb, cpu: usage.cpu, subgraphCpu }]);
        console.log(`  round ${round} ${peer.label}: ${result.rps.toFixed(0)} req/s, p99 ${result.p99.toFixed(1)} ms, ${result.failures} failures`);
        if (result.firstBad) console.log(`  ${peer.label} first bad answer: ${result.firstBad}`);
      } catch (error) {
        console.log(`  ${peer.label}: did not run: ${(error as Error).message}`);
      } finally {
        await stop(child);
      }
    }
} finally {
  await stop(subgraphs);
  rmSync(dir, { recursive: true, force: true });
}

// With several rounds each gateway's row is its median round by req/s (failures are summed over all rounds).
const rows = [...measured.values()].map((all) => {
  const sorted = [...all].sort((a, b) => a.result.rps - b.result.rps);
  const median = sorted[Math.floor((sorted.length - 1) / 2)] as Row;
  const failures = all.reduce((n, r) => n + r.result.failures, 0);
  const requests = all.reduce((n, r) => n + r.result.requests, 0);
  return { ...median, result: { ...median.result, failures, requests } };
});
const base = rows.find((r) => r.peer.name === 'apollo'); // the first plain @apollo/gateway row
const ratio = (value: number, of: number | undefined) => (of ? `${(value / of).toFixed(2)}×` : '–');
const table = [
  '| gateway | req/s | × apollo | p50 ms | p95 ms | p99 ms | p99 × apollo | failures | peak RSS MB | CPU % | subgraphs CPU % |',
  '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ...rows
    .map(({ peer, result: r, rssMb, cpu, subgraphCpu }) =>
      [
        peer.label,
        r.rps.toFixed(0),
        ratio(r.rps, base?.result.rps),
        r.p50.toFixed(1),
        r.p95.toFixed(1),
        r.p99.toFixed(1),
        ratio(r.p99, base?.result.p99),
        `${r.failures} / ${r.requests}`,
        rssMb.toFixed(0),
        cpu.toFixed(0),
        subgraphCpu.toFixed(0),
      ].join(' | '),
    )
    .map((line) => `| ${line} |`),
];
console.log(`\n${table.join('\n')}\n`);
console.log(
  `CPU % is of one core (${cpus().length * 100} = all cores). Load average ${startLoad.toFixed(2)} at start, ${(loadavg()[0] as number).toFixed(2)} at end: ` +
    'the gateway, the subgraphs and the load generator share these cores with whatever else runs here, so figures are noisy; compare rows of one run, not runs.',
);
