// `npm run bench:tracing-overhead`: what OpenTelemetry tracing costs the gateway. One stack, four
// gateways in front of the same subgraphs, identical but for tracing: off (no OTEL_* variables),
// on but sampling nothing (the fixed cost of carrying context), on with 10% sampling
// (parentbased_traceidratio 0.1) and on with every request sampled, both exporting OTLP/HTTP to a
// local receiver that accepts and drops spans. The response cache is off so every request is
// planned and fetched from a subgraph (the spans a real request makes).
//
// A shared machine's load drifts by more than the 5% being measured, so the four gateways take
// turns in many short rounds, each round in another order, and the verdict uses medians: the
// median of each gateway's rounds, and the median over rounds of each gateway's ratio to the
// untraced gateway in the same round (a drift that hits a whole round cancels out of that ratio).
// Gateway CPU µs per request is the steadier figure: it hardly depends on what else runs.
import { metricsUrlOf, startOtlpReceiver, startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';
import { median, pairedMedian, quartiles, roundOrder } from './rounds.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 15);
const ROUND_S = Number(process.env.BENCH_ROUND_SECONDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const body = JSON.stringify({ query: 'query Materials { materials { code name } }' });

/** The gateway process's CPU seconds so far (µs resolution, from `process.cpuUsage`), from its internal metrics port. */
async function cpuSeconds(url: string) {
  const page = await (await fetch(metricsUrlOf(url))).text();
  return Number(/^process_cpu_seconds_total(?:\{[^}]*\})? (\S+)$/m.exec(page)?.[1] ?? Number.NaN);
}

async function drive(url: string, seconds: number) {
  return autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: seconds });
}

interface Target {
  name: string;
  url: string;
  rps: number[];
  p99: number[];
  cpuUs: number[];
}

const receiver = await startOtlpReceiver({ keep: false });
const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
try {
  const common = { CACHE_ENABLED: 'false', ...UNLIMITED_CLIENT_ENV };
  const traced = (ratio: string) => ({
    ...common,
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
    OTEL_TRACES_SAMPLER_ARG: ratio,
    OTEL_BSP_SCHEDULE_DELAY: '1000',
  });
  const target = async (name: string, env: Record<string, string>): Promise<Target> => ({
    name,
    url: (await stack.spawnExtra('gateway', env)).url,
    rps: [],
    p99: [],
    cpuUs: [],
  });
  const targets = [
    await target('tracing off', common),
    // a registered provider that samples nothing: the fixed cost of carrying context
    await target('tracing 0%', traced('0')),
    await target('tracing 10%', traced('0.1')),
    await target('tracing 100%', traced('1')),
  ];
  for (const t of targets) {
    const probe = (await (await fetch(t.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { errors?: unknown };
    if (probe.errors) throw new Error(`${t.name}: the benchmark query fails: ${JSON.stringify(probe)}`);
    await drive(t.url, 4); // warm-up: JIT, connection pools, query plan cache
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const t of roundOrder(targets, round)) {
      const cpuBefore = await cpuSeconds(t.url);
      const result = await drive(t.url, ROUND_S);
      t.cpuUs.push((((await cpuSeconds(t.url)) - cpuBefore) * 1e6) / result.requests.total);
      if (result.non2xx || result.errors) throw new Error(`${t.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      t.rps.push(result.requests.average);
      t.p99.push(result.latency.p99);
    }
  }
  const [off] = targets as [Target];
  /** Per round, this gateway's figure over the untraced gateway's in the same round. */
  const paired = (t: Target, of: (t: Target) => number[]) => pairedMedian(of(t), of(off));
  console.log(
    `\ntracing overhead: ${ROUNDS} rounds × ${ROUND_S} s per gateway, ${CONNECTIONS} connections, query Materials (cache off), ${receiver.requests} OTLP exports received`,
  );
  console.log('  medians over rounds (middle half of the rounds in brackets)');
  for (const t of targets) {
    const [rpsLow, rpsHigh] = quartiles(t.rps);
    const [cpuLow, cpuHigh] = quartiles(t.cpuUs);
    console.log(
      `  ${t.name.padEnd(13)} ${median(t.rps).toFixed(0).padStart(6)} req/s [${rpsLow.toFixed(0)}–${rpsHigh.toFixed(0)}]   p99 ${median(t.p99).toFixed(1).padStart(5)} ms   gateway CPU ${median(t.cpuUs).toFixed(0).padStart(4)} µs/request [${cpuLow.toFixed(0)}–${cpuHigh.toFixed(0)}]`,
    );
  }
  for (const t of targets.slice(1)) {
    console.log(
      `  ${t.name.padEnd(13)} keeps ${(100 * paired(t, (x) => x.rps)).toFixed(1)}% of the untraced throughput and costs ${(100 * paired(t, (x) => x.cpuUs) - 100).toFixed(1)}% more CPU per request (medians of same-round ratios)${t.name === 'tracing 10%' ? '; target ≥ 95%' : ''}`,
    );
  }
} finally {
  await stack.stop();
  await receiver.close();
}
