import { eventually, gql, graphql, type Stack, scrapeCounter, startStack, stlCube, uploadFile } from '@fabline/dev';
import { Bus } from '@fabline/shared/bus';
import { QUOTE_JOBS_QUEUE } from '@fabline/shared/events';
import { createLogger } from '@fabline/shared/logger';
import { createRedis, type Redis } from '@fabline/shared/redis';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type PrismaClient } from '../src/db.ts';
import { toBinaryStl, uvSphere } from '../src/geometry/synthetic.ts';
import { GEOMETRY_VERSION } from '../src/quoteCache.ts';

// The price engine through the gateway, with real workers, Redis and RabbitMQ.
let stack: Stack;
let url: string;
let prisma: PrismaClient;
let redis: Redis;
let customer: { token: string };
const workerMetrics: string[] = [];
const LOCK_TTL_MS = 3000;

const UPLOAD = 'mutation($file: Upload!) { uploadModel(file: $file) { id sha256 } }';
const QUOTE_FIELDS = `id status cached needsReview failureReason failureCode algorithmVersion estimatedPrintSeconds price { amount currency }
  breakdown { material { amount } machineTime { amount } setup { amount } discount { amount } discountPercent minimumSurcharge { amount } }
  analysis { volumeCm3 triangleCount watertight geometryHash }`;
const REQUEST = `mutation($input: QuoteInput!) { requestQuote(input: $input) { ${QUOTE_FIELDS} } }`;
const QUOTE = `query($id: ID!) { quote(id: $id) { ${QUOTE_FIELDS} } }`;

const upload = async (name: string, bytes: Uint8Array) => {
  const result = await uploadFile<{ uploadModel: { id: string; sha256: string } }>(url, UPLOAD, { name, bytes }, customer);
  if (!result.data) throw new Error(`upload failed: ${JSON.stringify(result.errors)}`);
  return result.data.uploadModel;
};
const request = (modelId: string, material = 'PLA', quantity = 1) =>
  graphql<{ requestQuote: any }>(url, REQUEST, { input: { modelId, material, quantity } }, customer);
/** A PENDING answer (the first job of a cold worker can outlast QUOTE_WAIT_MS) followed through `quote(id)`. */
const settled = async (answer: any) =>
  answer.status !== 'PENDING'
    ? answer
    : eventually(
        async () => {
          const { quote } = await gql(url, QUOTE, { id: answer.id }, customer);
          return quote.status === 'PENDING' ? undefined : quote;
        },
        { timeoutMs: 60_000, intervalMs: 200 },
      );
const analysesDone = async () => {
  let total = 0;
  for (const metrics of workerMetrics)
    total += (await scrapeCounter(metrics, 'fabline_quote_analyses_total', 'service').catch(() => ({}) as Record<string, number>))['price-worker'] ?? 0;
  return total;
};

beforeAll(async () => {
  stack = await startStack({
    // this file tests single flight with 100 requests from one account, not the per-account field limit
    env: {
      LOG_LEVEL: 'warn',
      QUOTE_LIMIT_PER_MINUTE: '100000',
      QUOTE_WAIT_MS: '2000',
      // these tests drive the quote job; upload-time analysis (tested in uploads.e2e) would race it
      ANALYSIS_MAX_BYTES: '0',
      QUOTE_LOCK_TTL_MS: String(LOCK_TTL_MS),
    },
  });
  url = stack.urls.gateway;
  workerMetrics.push(`${stack.workerUrl}/metrics`);
  const second = await stack.spawnExtra('worker');
  workerMetrics.push(second.url.replace('/graphql', '/metrics'));
  prisma = createPrisma(stack.databaseUrls.mes);
  redis = createRedis({ url: 'redis://127.0.0.1:6379', namespace: stack.namespace, logger: createLogger({ name: 'test', level: 'silent' }) });
  const signUp = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `quotes-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Quinn Quote' },
  });
  customer = { token: signUp.signUp.token };
});
afterAll(async () => {
  redis?.disconnect();
  await prisma?.$disconnect();
  await stack?.stop();
});

describe('quote cache', () => {
  it('prices once, then answers identical quotes from Redis with cached: true and no job', async () => {
    const model = await upload('cube-25.stl', stlCube(25));
    const first = await settled((await request(model.id, 'PLA', 3)).data?.requestQuote);
    expect(first).toMatchObject({ status: 'READY', cached: false, algorithmVersion: expect.stringMatching(/^v/) });
    expect(first.estimatedPrintSeconds).toBeGreaterThan(0);
    const b = first.breakdown;
    const cents = (m: { amount: string }) => Math.round(Number(m.amount) * 100);
    expect(cents(b.material) + cents(b.machineTime) + cents(b.setup) + cents(b.minimumSurcharge) - cents(b.discount)).toBe(cents(first.price));

    const analyses = await analysesDone();
    const again = (await request(model.id, 'PLA', 3)).data?.requestQuote;
    expect(again).toMatchObject({ status: 'READY', cached: true, price: first.price, breakdown: first.breakdown });
    expect(again.id).not.toBe(first.id);
    // the same bytes uploaded again are another model, but the same file: still no analysis
    const copy = await upload('copy-of-cube.stl', stlCube(25));
    expect((await request(copy.id, 'PLA', 3)).data?.requestQuote).toMatchObject({ cached: true, price: first.price });
    // another quantity is priced at once from the cached analysis
    const more = (await request(model.id, 'PLA', 10)).data?.requestQuote;
    expect(more).toMatchObject({ status: 'READY', cached: false, breakdown: { discountPercent: 10 } });
    expect(await analysesDone()).toBe(analyses);
    const mesHits = await scrapeCounter(stack.urls.mes.replace('/graphql', '/metrics'), 'fabline_quote_cache_lookups_total', 'result');
    expect(mesHits.hit).toBeGreaterThanOrEqual(4);
  });

  it('a changed material price makes its cached quotes stale', async () => {
    const model = await upload('cube-22.stl', stlCube(22));
    const before = await settled((await request(model.id, 'PETG', 2)).data?.requestQuote);
    expect((await request(model.id, 'PETG', 2)).data?.requestQuote.cached).toBe(true);
    await prisma.material.update({ where: { code: 'PETG' }, data: { pricePerKg: '300.00' } });
    try {
      const after = (await request(model.id, 'PETG', 2)).data?.requestQuote;
      expect(after).toMatchObject({ status: 'READY', cached: false });
      expect(Number(after.breakdown.material.amount)).toBeGreaterThan(Number(before.breakdown.material.amount));
    } finally {
      await prisma.material.update({ where: { code: 'PETG' }, data: { pricePerKg: '30.00' } });
    }
    expect((await request(model.id, 'PETG', 2)).data?.requestQuote).toMatchObject({ cached: true, price: before.price });
  });
});

describe('single flight', () => {
  it('100 identical concurrent uncached requests analyse the model once', async () => {
    const model = await upload('cube-31.stl', stlCube(31));
    const analyses = await analysesDone();
    const answers = await Promise.all(Array.from({ length: 100 }, () => request(model.id, 'ABS', 4)));
    expect(answers.every((a) => a.data?.requestQuote.status)).toBe(true);
    const ids = answers.map((a) => a.data?.requestQuote.id as string);
    await eventually(async () => ((await prisma.quote.count({ where: { id: { in: ids }, status: 'READY' } })) === 100 ? true : undefined));
    expect(await analysesDone()).toBe(analyses + 1);
    // the worker that analysed it also priced it before the others could look: one uncached price
    expect(await prisma.quote.count({ where: { id: { in: ids }, cached: false } })).toBe(1);
    const prices = await prisma.quote.findMany({ where: { id: { in: ids } }, select: { amount: true } });
    expect(new Set(prices.map((p) => p.amount?.toFixed(2))).size).toBe(1);
  });
});

describe('bad files', () => {
  const nanStl = () => {
    const stl = stlCube(10);
    new DataView(stl.buffer).setFloat32(84 + 12, Number.NaN, true);
    return stl;
  };
  const model3mf = (body: string) => new TextEncoder().encode(`<?xml version="1.0"?><model unit="millimeter"><resources>${body}</resources><build/></model>`);
  const cases: [string, () => Uint8Array, string, RegExp][] = [
    ['NaN coordinates', nanStl, 'NON_FINITE', /invalid coordinate/],
    ['zero triangles', () => toBinaryStl(new Float32Array(0)), 'EMPTY', /no triangles/],
    [
      'a truncated ASCII STL',
      () => new TextEncoder().encode('solid cut\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0'),
      'TRUNCATED',
      /incomplete|malformed/i,
    ],
    ['a zip bomb in a 3MF', () => zipSync({ '3D/3dmodel.model': new Uint8Array(20 * 1024 * 1024) }), 'ZIP_BOMB', /rejected/],
    ['a path trick in a 3MF', () => zipSync({ '../../evil.model': model3mf(''), '3D/3dmodel.model': model3mf('') }), 'UNSAFE_PATH', /unsafe file path/],
    ['a zip renamed .stl', () => zipSync({ 'readme.txt': new TextEncoder().encode('hello') }), 'NOT_A_MESH', /not a 3D mesh/],
  ];
  it.each(cases)('%s: BAD_USER_INPUT naming the problem, a FAILED quote, no worker crash', async (name, bytes, reason, message) => {
    const model = await upload(`${name}.stl`, bytes());
    for (const attempt of ['computed', 'cached']) {
      const answer = await request(model.id);
      const error = answer.errors?.[0];
      expect(error?.extensions?.code, attempt).toBe('BAD_USER_INPUT');
      expect(error?.message).toMatch(message);
      expect(error?.extensions?.reason).toMatch(reason === 'TRUNCATED' ? /TRUNCATED|MALFORMED/ : new RegExp(reason));
      const failed = (await gql(url, QUOTE, { id: error?.extensions?.quoteId }, customer)).quote;
      expect(failed).toMatchObject({ status: 'FAILED', price: null, failureCode: error?.extensions?.reason });
      expect(failed.failureReason).toMatch(message);
    }
    for (const [, child] of stack.processes) expect(child.exitCode).toBeNull();
  });

  it('a binary STL whose count disagrees with its size is refused at upload', async () => {
    const stl = stlCube(10);
    const truncated = stl.slice(0, stl.byteLength - 20);
    const answer = await uploadFile(url, UPLOAD, { name: 'cut.stl', bytes: truncated }, customer);
    expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a poison job goes to the dead-letter queue after one retry, not round for ever', async () => {
    const bus = new Bus({ url: 'amqp://guest:guest@127.0.0.1:5672', namespace: stack.namespace, logger: createLogger({ name: 'test', level: 'silent' }) });
    try {
      await bus.send(QUOTE_JOBS_QUEUE, { quoteId: 'not-a-quote-id' });
      expect(await eventually(async () => ((await bus.queueDepth(`${QUOTE_JOBS_QUEUE}.dlq`)) === 1 ? 1 : undefined))).toBe(1);
      expect(await bus.queueDepth(QUOTE_JOBS_QUEUE)).toBe(0);
      const depth = await scrapeCounter(stack.urls.mes.replace('/graphql', '/metrics'), 'fabline_quote_queue_depth', 'queue');
      expect(depth['dead-letter']).toBe(1);
      for (const [, child] of stack.processes) expect(child.exitCode).toBeNull();
    } finally {
      await bus.close();
    }
  });
});

describe('a worker killed mid-job', () => {
  it('leaves the quote PENDING, the job is redelivered, the lock expires and another worker completes it', async () => {
    // about a million triangles: a second or more of analysis, long enough to be killed in
    const model = await upload('sphere.stl', toBinaryStl(uvSphere(40, 700, 700)));
    const pending = request(model.id, 'RESIN', 1);
    const lockKey = `quote:lock:${GEOMETRY_VERSION}:${model.sha256}`;
    const holder = await eventually(async () => (await redis.get(lockKey)) ?? undefined, { timeoutMs: 30_000, intervalMs: 5 });
    const pid = Number(holder.split(':')[0]);
    const victim = [...stack.processes.values()].find((child) => child.pid === pid);
    expect(victim, `lock holder ${holder}`).toBeDefined();
    victim?.kill('SIGKILL');

    const answer = (await pending).data?.requestQuote;
    expect(answer.status).toBe('PENDING');
    const done = await settled(answer);
    expect(done).toMatchObject({ status: 'READY', analysis: { triangleCount: 978_600, watertight: true } });
    expect(await redis.exists(lockKey)).toBe(0);
  });
});
