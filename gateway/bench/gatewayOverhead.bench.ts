// `npm run bench:gateway-overhead`: what traffic control costs. One stack, two gateways in front of
// the same subgraphs: one with everything on (cost estimate, operation limits, Redis rate limits,
// APQ, manifest lookup, contract checks) and one with TRAFFIC_CONTROL=off. The same small query is
// driven through each in turn with autocannon; requests/s and p99 are printed side by side.
import { startStack } from '@fabline/dev';
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
  const unlimited = { RATE_LIMIT_REQUESTS: '{"default":1000000000}', RATE_LIMIT_COST_POINTS: '{"default":1000000000}' };
  const enabled = await stack.spawnExtra('gateway', unlimited);
  const disabled = await stack.spawnExtra('gateway', { TRAFFIC_CONTROL: 'off' });
  const probe = await (await fetch(enabled.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json();
  if ((probe as { errors?: unknown }).errors) throw new Error(`the benchmark query fails: ${JSON.stringify(probe)}`);

  const rows: { name: string; rps: number; p99: number }[] = [];
  for (const [name, url] of [
    ['all enabled', enabled.url],
    ['all disabled', disabled.url],
  ] as const) {
    await drive(url, 2); // warm-up: JIT, connection pools, query plan cache
    const result = await drive(url, DURATION_S);
    if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
    rows.push({ name, rps: result.requests.average, p99: result.latency.p99 });
  }
  console.log(`\ngateway overhead, ${CONNECTIONS} connections × ${DURATION_S} s, query { materials { code name } }`);
  for (const row of rows) console.log(`  ${row.name.padEnd(13)} ${row.rps.toFixed(0).padStart(7)} req/s   p99 ${row.p99.toFixed(1).padStart(6)} ms`);
  const [on, off] = rows as [(typeof rows)[0], (typeof rows)[0]];
  console.log(`  enabled keeps ${((100 * on.rps) / off.rps).toFixed(1)}% of the disabled gateway's throughput (target ≥ 90%)`);
} finally {
  await stack.stop();
}
