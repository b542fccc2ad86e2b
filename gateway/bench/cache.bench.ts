// `npm run bench:cache`: throughput and latency of cacheable queries through the Fabline gateway with
// the response cache warm and turned off, and through a plain @apollo/gateway, on one stack, in one run.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, gql, graphql, metricsUrlOf, startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';
import { median, pairedMedian, percentile, roundOrder } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 4);
const ROUND_S = Number(process.env.BENCH_ROUND_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const INVALIDATIONS = 300;
const QUERIES = {
  materials: { query: 'query Materials { materials { code name densityGCm3 pricePerKg { amount currency } } }', variables: {} },
  catalog: {
    query: 'query Catalog($code: String!) { material(code: $code) { code name densityGCm3 pricePerKg { amount currency } } }',
    variables: { code: 'PLA' },
  },
};

const out = (line: string) => process.stdout.write(`${line}\n`);

async function measure(url: string, body: object) {
  const options = { url, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), connections: CONNECTIONS };
  const result = await autocannon({ ...options, duration: ROUND_S });
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, bad: result.non2xx + result.errors + result.timeouts };
}

const stack = await startStack({ env: { LOG_LEVEL: 'warn', ...UNLIMITED_CLIENT_ENV } });
let plain: ReturnType<typeof spawn> | undefined;
try {
  // the same cache without the copy in process memory: every hit asks Redis
  const redisOnly = (await stack.spawnExtra('gateway', { CACHE_NEAR_MAX_BYTES: '0' })).url;
  // uncached: every request executed (no response cache, no inbound dedupe sharing one execution)
  const uncached = (await stack.spawnExtra('gateway', { CACHE_ENABLED: 'false', GATEWAY_INBOUND_DEDUPE: 'false' })).url;
  // the default gateway without the cache: identical concurrent requests still share one execution
  const deduped = (await stack.spawnExtra('gateway', { CACHE_ENABLED: 'false' })).url;
  const plainPort = await freePort();
  plain = spawn(process.execPath, ['--import', 'tsx', 'bench/plainGateway.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...stack.env, GATEWAY_PORT: String(plainPort), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  const plainUrl = `http://127.0.0.1:${plainPort}/`;
  for (let i = 0; ; i++) {
    const ok = await graphql(plainUrl, QUERIES.materials.query).then(
      (r) => !!r.data,
      () => false,
    );
    if (ok) break;
    if (i > 200) throw new Error('the plain gateway did not start');
    await sleep(150);
  }
  const targets = {
    'fabline, cache warm': stack.urls.gateway,
    'fabline, warm, Redis only': redisOnly,
    'fabline, uncached': uncached,
    'fabline, cache off, dedupe': deduped,
    'plain @apollo/gateway': plainUrl,
  };
  // freshly started processes run cold (JIT, pools): exercise every target once before anything is measured
  for (const url of Object.values(targets))
    for (const body of Object.values(QUERIES))
      await autocannon({
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        connections: CONNECTIONS,
        duration: 2,
      });
  out(`${CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_S} s per target and query, in changing order; medians over rounds\n`);
  out(`${'query'.padEnd(10)} ${'through'.padEnd(28)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'errors'.padStart(7)}`);
  const only = process.env.BENCH_QUERIES?.split(',');
  for (const [name, body] of Object.entries(QUERIES).sort(([a], [b]) => (only ? only.indexOf(a) - only.indexOf(b) : 0))) {
    if (only && !only.includes(name)) continue;
    const runs = Object.entries(targets).map(([label, url]) => ({ label, url, rps: [] as number[], p50: [] as number[], p99: [] as number[], bad: 0 }));
    // a target measured right after a fast one runs slower (see rounds.ts): no target always goes first
    for (let round = 0; round < ROUNDS; round++) {
      for (const run of roundOrder(runs, round)) {
        const r = await measure(run.url, body);
        run.rps.push(r.rps);
        run.p50.push(r.p50);
        run.p99.push(r.p99);
        run.bad += r.bad;
      }
    }
    for (const run of runs) {
      out(
        `${name.padEnd(10)} ${run.label.padEnd(28)} ${median(run.rps).toFixed(0).padStart(8)} ${String(median(run.p50)).padStart(7)} ${String(median(run.p99)).padStart(7)} ${String(run.bad).padStart(7)}`,
      );
    }
    const [warm, redis, uncached, deduped, plainRun] = runs as [(typeof runs)[0], (typeof runs)[0], (typeof runs)[0], (typeof runs)[0], (typeof runs)[0]];
    const times = (peer: typeof warm, of = warm) => pairedMedian(of.rps, peer.rps).toFixed(1);
    out(
      `${name.padEnd(10)} warm cache = ${times(uncached)}x uncached (target 10x), ${times(deduped)}x cache off with inbound dedupe, ${times(plainRun)}x plain gateway (medians of same-round ratios)`,
    );
    out(`${name.padEnd(10)} the copy in memory: ${times(redis)}x the same cache asking Redis on every hit, which is ${times(uncached, redis)}x uncached\n`);
  }
  // what the guarantee costs a writer: an invalidation answers once every replica has dropped its copies
  // (here the warm gateway and one more replica with copies) against one that only deletes in Redis
  await stack.spawnExtra('gateway', {});
  const { logIn } = await gql(stack.urls.gateway, 'mutation { logIn(email: "admin@fabline.dev", password: "fabline-demo-2026") { token } }');
  out(`admin invalidation of one tag (${INVALIDATIONS} in a row, each answered when complete):`);
  for (const [label, url] of [
    ['with copies in memory, 2 replicas acknowledging', stack.urls.gateway],
    ['Redis only', redisOnly],
  ] as const) {
    const times: number[] = [];
    let replicas = '';
    for (let i = 0; i < INVALIDATIONS; i++) {
      const started = performance.now();
      const response = await fetch(url.replace('/graphql', '/admin/cache/invalidate'), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${logIn.token}` },
        body: JSON.stringify({ tags: ['bench:nothing'] }),
      });
      replicas = ((await response.json()) as { replicas: string }).replicas;
      times.push(performance.now() - started);
    }
    times.sort((a, b) => a - b);
    out(`  ${label.padEnd(50)} p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms (replicas: ${replicas})`);
  }
  const metrics = await (await fetch(metricsUrlOf(stack.urls.gateway))).text();
  out('cache lookups on the warm gateway (error = Redis slower than CACHE_TIMEOUT_MS, or skipped while the circuit was open; near = the copy in memory):');
  for (const line of metrics.split('\n'))
    if (line.startsWith('fabline_cache_lookups_total{') || line.startsWith('fabline_cache_near_lookups_total{')) out(`  ${line}`);
} finally {
  plain?.kill('SIGTERM');
  await stack.stop();
}
