// `npm run bench:gateway-overhead`: what traffic control costs. One stack, gateways in front of
// the same subgraphs: with everything on (cost estimate, operation limits, Redis rate limits,
// APQ, manifest lookup, contract checks) and with TRAFFIC_CONTROL=off. The same small query is
// driven through each in turn with autocannon; requests/s and p99 are printed side by side.
// The target pair runs without the response cache, so every request is admitted and executed;
// a second pair shows the same with the cache on, where a hit costs little more than the
// rate limit's Redis round trip.
import { startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const body = JSON.stringify({ query: '{ materials { code name } }' });

async function drive(url: string, seconds: number) {
  return autocannon({
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    connections: CONNECTIONS,
    duration: seconds,
  });
}

const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
try {
  const uncached = { CACHE_ENABLED: 'false' };
  const targets = [
    { name: 'all enabled', env: { ...UNLIMITED_CLIENT_ENV, ...uncached } },
    { name: 'all disabled', env: { TRAFFIC_CONTROL: 'off', ...uncached } },
    { name: 'all enabled, cache hits', env: UNLIMITED_CLIENT_ENV },
    { name: 'all disabled, cache hits', env: { TRAFFIC_CONTROL: 'off' } },
  ];
  const gateways = [];
  for (const target of targets) {
    const { url } = await stack.spawnExtra('gateway', target.env);
    const probe = await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
    if ((probe as { errors?: unknown }).errors) throw new Error(`the benchmark query fails: ${JSON.stringify(probe)}`);
    gateways.push({ name: target.name, url, rps: [] as number[], p99: [] as number[] });
  }
  for (const target of gateways) await drive(target.url, 2); // warm-up: JIT, connection pools, query plan cache
  // alternate rounds so that drift on a shared machine hits both gateways alike
  for (let round = 0; round < 2; round++) {
    for (const target of gateways) {
      const result = await drive(target.url, DURATION_S / 2);
      if (result.non2xx || result.errors) throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      target.rps.push(result.requests.average);
      target.p99.push(result.latency.p99);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows = gateways.map((t) => ({ name: t.name, rps: mean(t.rps), p99: Math.max(...t.p99) }));
  console.log(`\ngateway overhead, ${CONNECTIONS} connections × ${DURATION_S} s, query { materials { code name } }`);
  for (const row of rows) console.log(`  ${row.name.padEnd(25)} ${row.rps.toFixed(0).padStart(7)} req/s   p99 ${row.p99.toFixed(1).padStart(6)} ms`);
  const [on, off, onHits, offHits] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
  console.log(`  enabled keeps ${((100 * on.rps) / off.rps).toFixed(1)}% of the disabled gateway's throughput, response cache off (target ≥ 90%)`);
  console.log(`  with the response cache answering hits: enabled keeps ${((100 * onHits.rps) / offHits.rps).toFixed(1)}%`);
} finally {
  await stack.stop();
}
