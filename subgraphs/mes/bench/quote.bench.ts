// `npm run bench:quote`: quote latency through the gateway (cached, beside the gateway's floor
// and the uncached path measured in the same run) and single flight under 100 identical
// concurrent uncached requests. Prints figures; asserts nothing about time.
import { eventually, freePort, gql, graphql, scrapeCounter, startStack, stlCube, UNLIMITED_CLIENT_ENV, uploadFile } from '@fabline/dev';
import { createPrisma } from '../src/db.ts';
import { toBinaryStl, uvSphere } from '../src/geometry/synthetic.ts';

const CACHED_REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const UNCACHED_REQUESTS = 30;
const CONCURRENT = 100;

const workerPort = await freePort();
// ANALYSIS_MAX_BYTES 0: the uncached and single-flight rows measure the quote job, not an analysis done at upload
const stack = await startStack({
  env: { LOG_LEVEL: 'warn', ...UNLIMITED_CLIENT_ENV, QUOTE_WAIT_MS: '30000', ANALYSIS_MAX_BYTES: '0', WORKER_PORT: String(workerPort) },
});
const prisma = createPrisma(stack.databaseUrls.mes);
try {
  const second = await stack.spawnExtra('worker');
  const workerMetrics = [`http://127.0.0.1:${workerPort}/metrics`, second.url.replace('/graphql', '/metrics')];
  const analyses = async () => {
    let total = 0;
    for (const metrics of workerMetrics) total += (await scrapeCounter(metrics, 'fabline_quote_analyses_total', 'service'))['price-worker'] ?? 0;
    return total;
  };
  const url = stack.urls.gateway;
  const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `bench-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Bench Mark' },
  });
  const auth = { token: signUp.token as string };
  const upload = async (name: string, bytes: Uint8Array) =>
    (await uploadFile<{ uploadModel: { id: string } }>(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name, bytes }, auth)).data
      ?.uploadModel.id as string;
  const REQUEST = 'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status cached price { amount } } }';
  const quote = (modelId: string, quantity = 1) =>
    graphql<{ requestQuote: { id: string; status: string; cached: boolean } }>(url, REQUEST, { input: { modelId, material: 'PLA', quantity } }, auth);

  const percentiles = (samples: number[]) => {
    const sorted = [...samples].sort((a, b) => a - b);
    const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
    return `p50 ${at(50).toFixed(2)} ms  p99 ${at(99).toFixed(2)} ms  mean ${(samples.reduce((a, b) => a + b, 0) / samples.length).toFixed(2)} ms  (n=${samples.length})`;
  };
  const time = async (n: number, run: (i: number) => Promise<unknown>) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const start = performance.now();
      await run(i);
      samples.push(performance.now() - start);
    }
    return samples;
  };

  // warm-up: connections, query plans, JIT
  const cube = await upload('cube-20.stl', stlCube(20));
  await quote(cube, 2);
  await time(100, () => quote(cube, 2));
  await time(100, () => gql(url, '{ materials { code } }', {}, auth));

  console.log(`quote latency through the gateway, sequential, 2 workers (${new Date().toISOString()})`);
  const floor = await time(CACHED_REQUESTS, () => gql(url, '{ materials { code } }', {}, auth));
  console.log(`  peer: materials query (gateway → mes → Postgres)  ${percentiles(floor)}`);
  let notCached = 0;
  const cached = await time(CACHED_REQUESTS, async () => {
    const answer = await quote(cube, 2);
    if (!answer.data?.requestQuote.cached) notCached++;
  });
  console.log(`  requestQuote, cached (Redis hit, no job)          ${percentiles(cached)}  not cached: ${notCached}`);
  const models: string[] = [];
  for (let i = 0; i < UNCACHED_REQUESTS; i++) models.push(await upload(`cube-${i}.stl`, stlCube(21 + i / 10)));
  const uncached = await time(UNCACHED_REQUESTS, (i) => quote(models[i] as string));
  console.log(`  peer: requestQuote, uncached (job, 12-tri cube)   ${percentiles(uncached)}`);

  // single flight: a model big enough that computing it twice would show
  const sphere = await upload('sphere.stl', toBinaryStl(uvSphere(30, 300, 300)));
  const before = await analyses();
  const start = performance.now();
  const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => quote(sphere, 3)));
  const answeredMs = performance.now() - start;
  const ids = answers.map((a) => a.data?.requestQuote.id).filter((id): id is string => typeof id === 'string');
  await eventually(async () => ((await prisma.quote.count({ where: { id: { in: ids }, status: { not: 'PENDING' } } })) === ids.length ? true : undefined), {
    timeoutMs: 120_000,
  });
  const ready = await prisma.quote.count({ where: { id: { in: ids }, status: 'READY' } });
  const computedPrices = await prisma.quote.count({ where: { id: { in: ids }, cached: false } });
  const prices = new Set((await prisma.quote.findMany({ where: { id: { in: ids } }, select: { amount: true } })).map((q) => q.amount?.toFixed(2)));
  console.log(`single flight: ${CONCURRENT} identical concurrent uncached requests (179 400-triangle sphere, PLA × 3, 2 workers)`);
  console.log(`  answered in ${answeredMs.toFixed(0)} ms; quotes READY ${ready}/${ids.length}; distinct prices ${prices.size} (${[...prices].join(', ')})`);
  console.log(`  geometry analyses computed (workers' fabline_quote_analyses_total): ${(await analyses()) - before}`);
  console.log(`  quotes priced without the price cache (cached = false): ${computedPrices}`);
} finally {
  await prisma.$disconnect();
  await stack.stop();
}
