// `npm run bench:tracing-overhead`: what OpenTelemetry tracing costs the gateway. One stack, four
// gateways in front of the same subgraphs, identical but for tracing: off (no OTEL_* variables),
// on but sampling nothing (the fixed cost of carrying context), on with 10% sampling (parentbased_traceidratio 0.1) and on with every request sampled, both
// exporting OTLP/HTTP to a local receiver that accepts and drops spans. The response cache is off
// so every request is planned and fetched from a subgraph (the spans a real request makes).
import { startOtlpReceiver, startStack, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import autocannon from 'autocannon';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 12);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const body = JSON.stringify({ query: 'query Materials { materials { code name } }' });

/** The gateway process's CPU seconds so far: CPU per request is steadier than req/s on a busy shared machine. */
async function cpuSeconds(url: string) {
  const page = await (await fetch(url.replace('/graphql', '/metrics'))).text();
  return Number(/^process_cpu_seconds_total(?:\{[^}]*\})? (\S+)$/m.exec(page)?.[1] ?? Number.NaN);
}

async function drive(url: string, seconds: number) {
  return autocannon({ url, method: 'POST', headers: { 'content-type': 'application/json' }, body, connections: CONNECTIONS, duration: seconds });
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
  const targets = [
    { name: 'tracing off', url: (await stack.spawnExtra('gateway', common)).url, rps: [] as number[], p99: [] as number[], cpuUs: [] as number[] },
    // a registered provider that samples nothing: the fixed cost of carrying context (AsyncLocalStorage)
    { name: 'tracing 0%', url: (await stack.spawnExtra('gateway', traced('0'))).url, rps: [] as number[], p99: [] as number[], cpuUs: [] as number[] },
    { name: 'tracing 10%', url: (await stack.spawnExtra('gateway', traced('0.1'))).url, rps: [] as number[], p99: [] as number[], cpuUs: [] as number[] },
    { name: 'tracing 100%', url: (await stack.spawnExtra('gateway', traced('1'))).url, rps: [] as number[], p99: [] as number[], cpuUs: [] as number[] },
  ];
  for (const target of targets) {
    const probe = (await (await fetch(target.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).json()) as { errors?: unknown };
    if (probe.errors) throw new Error(`${target.name}: the benchmark query fails: ${JSON.stringify(probe)}`);
    await drive(target.url, 4); // warm-up: JIT, connection pools, query plan cache
  }
  // alternate rounds so that drift on a shared machine hits every gateway alike
  const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
  for (let round = 0; round < rounds; round++) {
    // each round starts with another gateway, so that no variant always runs first
    for (const target of [...targets.slice(round % targets.length), ...targets.slice(0, round % targets.length)]) {
      const cpuBefore = await cpuSeconds(target.url);
      const result = await drive(target.url, DURATION_S / rounds);
      target.cpuUs.push((((await cpuSeconds(target.url)) - cpuBefore) * 1e6) / result.requests.total);
      if (result.non2xx || result.errors) throw new Error(`${target.name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      target.rps.push(result.requests.average);
      target.p99.push(result.latency.p99);
    }
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const rows = targets.map((t) => ({
    name: t.name,
    rps: mean(t.rps),
    p99: Math.max(...t.p99),
    cpuUs: mean(t.cpuUs),
    rounds: t.rps.map((r) => r.toFixed(0)).join(' / '),
  }));
  console.log(`\ntracing overhead, ${CONNECTIONS} connections × ${DURATION_S} s each, query Materials (cache off), ${receiver.requests} OTLP exports received`);
  for (const row of rows)
    console.log(
      `  ${row.name.padEnd(13)} ${row.rps.toFixed(0).padStart(7)} req/s   p99 ${row.p99.toFixed(1).padStart(6)} ms   gateway CPU ${row.cpuUs.toFixed(0).padStart(5)} µs/request   (req/s by round ${row.rounds})`,
    );
  const [off, _none, tenth, all] = rows as [(typeof rows)[0], (typeof rows)[0], (typeof rows)[0], (typeof rows)[0]];
  console.log(
    `  10% sampling keeps ${((100 * tenth.rps) / off.rps).toFixed(1)}% of the untraced gateway's throughput (target ≥ 95%) and costs ${((100 * tenth.cpuUs) / off.cpuUs - 100).toFixed(1)}% more CPU per request`,
  );
  console.log(
    `  100% sampling keeps ${((100 * all.rps) / off.rps).toFixed(1)}% and costs ${((100 * all.cpuUs) / off.cpuUs - 100).toFixed(1)}% more CPU per request`,
  );
} finally {
  await stack.stop();
  await receiver.close();
}
