// `npm run bench:gateway-overhead`: what traffic control costs. One stack, gateways in front of
// the same subgraphs: with everything on (cost estimate, operation limits, Redis rate limits,
// APQ, manifest lookup, contract checks) and with TRAFFIC_CONTROL=off. The same small query is
// driven through each in turn with autocannon, in interleaved rounds; median requests/s and p99.
// The target pair runs without the response cache, so every request is admitted and executed;
// a second pair shows the same with the cache on, where a hit costs little more than the
// rate limit's Redis round trip.
import { startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';
import { median, pairedMedian, quartiles, roundOrder } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const ROUND_S = Number(process.env.BENCH_ROUND_SECONDS ?? 3);
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
  // many short rounds in changing order (rounds.ts): a gateway measured right after the one that
  // served 27,000 cache hits/s ran up to 15 % slower, whichever it was
  for (let round = 0; round < ROUNDS; round++) {
    for (const target of roundOrder(gateways, round)) {
      const result = await drive(target.url, ROUND_S);
      if (result.non2xx || result.errors) throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      target.rps.push(result.requests.average);
      target.p99.push(result.latency.p99);
    }
  }
  console.log(`\ngateway overhead, ${CONNECTIONS} connections, ${ROUNDS} rounds × ${ROUND_S} s per gateway, query { materials { code name } }`);
  console.log('  medians over rounds (middle half of the rounds in brackets)');
  for (const t of gateways) {
    const [low, high] = quartiles(t.rps);
    console.log(
      `  ${t.name.padEnd(25)} ${median(t.rps).toFixed(0).padStart(7)} req/s [${low.toFixed(0)}–${high.toFixed(0)}]   p99 ${median(t.p99).toFixed(1).padStart(6)} ms`,
    );
  }
  const [on, off, onHits, offHits] = gateways as [(typeof gateways)[0], (typeof gateways)[0], (typeof gateways)[0], (typeof gateways)[0]];
  const keeps = (a: typeof on, b: typeof on) => (100 * pairedMedian(a.rps, b.rps)).toFixed(1);
  console.log(`  enabled keeps ${keeps(on, off)}% of the disabled gateway's throughput, response cache off (median of same-round ratios; target ≥ 90%)`);
  console.log(`  with the response cache answering hits: enabled keeps ${keeps(onHits, offHits)}%`);
} finally {
  await stack.stop();
}
