// `npm run bench:subscriptions`: N concurrent WebSocket subscribers on one gateway process, one
// order's status events published as shop publishes them; prints event-to-client latency and
// gateway RSS per subscriber, beside two peers measured in the same run: a bare `ws` server in its own
// process broadcasting the same channel to the same clients (wsBroadcastPeer.ts: the floor of a Node
// WebSocket fan-out on this host), and the same selection as one HTTP query through the same gateway
// (what a polling client would pay per look).
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import { freePort, gql, metricsUrlOf, startStack, stlCube, UNLIMITED_CLIENT_ENV, uploadFile } from '@fabline/dev';
import { Redis } from 'ioredis';
import { stat } from './proc.ts';
import { percentile } from './rounds.ts';
import type { SubscriberCommand, SubscriberReport, SubscriberThreadData } from './subscriberThread.ts';

const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1000,10000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const SELECTION = 'id status at order { id status customer { name } }';
/** Client threads the subscribers are spread over. @default 2 */
const THREADS = Number(process.env.BENCH_CLIENT_THREADS ?? 2);

const stack = await startStack({
  readyTimeoutMs: 300_000,
  env: { LOG_LEVEL: 'warn', ...UNLIMITED_CLIENT_ENV, QUOTE_WAIT_MS: '10000', SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: '20000' },
});
const url = stack.urls.gateway;
let peer: ReturnType<typeof spawn> | undefined;

/** Where subscribers connect, how many are subscribed there, and its memory. */
interface Target {
  label: string;
  url: string;
  active: () => Promise<number>;
  rss: () => Promise<number>;
  /** Whether it exports the gateway's delivery histogram. */
  histogram: boolean;
}
const redis = new Redis(stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const metric = async (pattern: RegExp) => {
  const text = await (await fetch(metricsUrlOf(url))).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
};
const rss = () => metric(/^process_resident_memory_bytes\S* (\d+(?:\.\d+)?(?:e\+\d+)?)/m);
const active = () => metric(/^fabline_subscriptions_active\{[^}]*field="orderStatusChanged"[^}]*\} (\d+)/m);
/** The delivery histogram's cumulative buckets (`le` → count) as the gateway exports them. */
const deliveryBuckets = async () => {
  const text = await (await fetch(metricsUrlOf(url))).text();
  const buckets = new Map<string, number>();
  for (const [, le, count] of text.matchAll(/^fabline_subscription_delivery_seconds_bucket\{[^}]*le="([^"]+)"[^}]*\} (\d+)/gm))
    buckets.set(le as string, Number(count));
  return buckets;
};
/** The smallest bucket bound holding quantile `q` of what was observed between two readings. */
const bucketQuantile = (before: Map<string, number>, after: Map<string, number>, q: number) => {
  const total = (after.get('+Inf') ?? 0) - (before.get('+Inf') ?? 0);
  for (const [le, count] of after)
    if (count - (before.get(le) ?? 0) >= q * total) return le === '+Inf' ? 'more than the largest bucket' : `${Number(le) * 1000} ms`;
  return 'n/a';
};
const ms = (n: number) => `${n.toFixed(1)} ms`;
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

try {
  const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { id } } }', {
    input: { email: `bench-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Bench' },
  });
  const auth = { token: signUp.token as string };
  const model = await uploadFile(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name: 'cube.stl', bytes: stlCube(20) }, auth);
  const { requestQuote } = await gql(
    url,
    'mutation($input: QuoteInput!) { requestQuote(input: $input) { id } }',
    { input: { modelId: model.data?.uploadModel.id, material: 'PLA', quantity: 1 } },
    auth,
  );
  const { placeOrder } = await gql(
    url,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
    { input: { items: [{ quoteId: requestQuote.id }] } },
    auth,
  );
  const orderId = placeOrder.id as string;
  const channel = `${stack.namespace}:order-status:${orderId}`;

  // the peer: the same selection as one HTTP query, sequentially, after one unmeasured query (the
  // gateway plans it once; with 50 samples that one would be the p99)
  const http: number[] = [];
  const look = () => gql(url, `query($id: ID!) { order(id: $id) { id status customer { name } } }`, { id: orderId }, auth);
  await look();
  for (let i = 0; i < 200; i++) {
    const start = performance.now();
    await look();
    http.push(performance.now() - start);
  }
  http.sort((x, y) => x - y);

  let eventId = 1e12;
  const query = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { ${SELECTION} } }`;

  /** Opens `size` subscribers on `target`, publishes EVENTS events (after one unmeasured), returns the report's row. */
  async function measure(target: Target, size: number) {
    const rssBefore = await target.rss();
    // the clients run in their own threads, beside the gateway on the same cores, and read only the timestamp
    const threads = Math.max(1, Math.min(THREADS, size));
    const received = new Int32Array(new SharedArrayBuffer(4 * threads));
    const workers = Array.from({ length: threads }, (_, slot) => {
      const count = Math.floor(size / threads) + (slot < size % threads ? 1 : 0);
      const workerData: SubscriberThreadData = {
        url: target.url,
        token: auth.token,
        query,
        variables: { id: orderId },
        count,
        received: received.buffer as SharedArrayBuffer,
        slot,
      };
      // a worker does not inherit tsx's loader hooks: it registers them before importing the thread's module
      const entry = new URL('./subscriberThread.ts', import.meta.url).href;
      return new Worker(`import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`, { eval: true, workerData });
    });
    const reply = (worker: Worker, type: SubscriberReport['type']) =>
      new Promise<SubscriberReport>((resolve, reject) => {
        const onMessage = (report: SubscriberReport) => {
          if (report.type === 'error') reject(new Error(report.message));
          else if (report.type === type) resolve(report);
          else return;
          worker.off('message', onMessage);
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
      });
    const tell = (command: SubscriberCommand) => {
      for (const worker of workers) worker.postMessage(command);
    };
    const deliveries = () => received.reduce((sum, n) => sum + n, 0);
    const opened = Date.now();
    await Promise.all(workers.map((worker) => reply(worker, 'open')));
    await until(async () => (await target.active()) >= size, 180_000, `${size} subscriptions`);
    const setupSeconds = (Date.now() - opened) / 1000;
    await sleep(2000);
    const rssSubscribed = await target.rss();

    let bucketsBefore = new Map<string, number>();
    // one unmeasured event first: the gateway plans the federated query once, then reuses the plan
    for (let i = -1; i < EVENTS; i++) {
      if (i === 0) {
        await until(async () => deliveries() >= size, 30_000, 'the warm-up event').catch((e) => console.warn(String(e)));
        tell('reset');
        await sleep(100);
        if (target.histogram) bucketsBefore = await deliveryBuckets();
      }
      eventId++;
      const message = {
        orderId,
        customerId: signUp.viewer.id,
        previousStatus: 'PLACED',
        status: 'APPROVED',
        at: new Date().toISOString(),
        eventId: String(eventId),
      };
      await redis.publish(channel, JSON.stringify(message));
      await sleep(Math.max(250, size / 20));
    }
    await until(async () => deliveries() >= size * EVENTS, 30_000, 'every event at every subscriber').catch((e) => console.warn(String(e)));
    const gatewayP99 = target.histogram ? `; gateway's own histogram: 99 % written within ${bucketQuantile(bucketsBefore, await deliveryBuckets(), 0.99)}` : '';
    const collected = workers.map((worker) => reply(worker, 'latencies'));
    tell('collect');
    const latencies = (await Promise.all(collected)).flatMap((report) => (report.type === 'latencies' ? [...report.latencies] : []));
    latencies.sort((x, y) => x - y);
    const perSubscriberKb = (rssSubscribed - rssBefore) / size / 1024;
    const closed = workers.map((worker) => reply(worker, 'closed'));
    tell('close');
    await Promise.all(closed);
    await Promise.all(workers.map((worker) => worker.terminate()));
    await until(async () => (await target.active()) === 0, 60_000, 'subscriptions to end');
    return (
      `${String(size).padStart(6)} subscribers, ${target.label}: ${latencies.length}/${size * EVENTS} deliveries, ` +
      `event-to-client p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}${gatewayP99}; ` +
      `RSS +${((rssSubscribed - rssBefore) / 2 ** 20).toFixed(1)} MiB = ${perSubscriberKb.toFixed(1)} KB per subscriber (set up in ${setupSeconds.toFixed(1)} s)`
    );
  }

  const gateway: Target = { label: 'fabline gateway', url, active, rss, histogram: true };
  const peerPort = await freePort();
  peer = spawn(process.execPath, ['--import', 'tsx', 'bench/wsBroadcastPeer.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, PEER_PORT: String(peerPort), PEER_CHANNEL: channel, REDIS_URL: stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const peerPid = peer.pid as number;
  const broadcast: Target = {
    label: 'bare ws broadcast',
    url: `http://127.0.0.1:${peerPort}/graphql`,
    active: () =>
      fetch(`http://127.0.0.1:${peerPort}/subscribers`).then(
        async (r) => Number(await r.text()),
        () => -1,
      ),
    rss: async () => stat(peerPid)?.rss ?? Number.NaN,
    histogram: false,
  };
  await until(async () => (await broadcast.active()) >= 0, 60_000, 'the ws broadcast peer');

  const rows: string[] = [];
  for (const size of SIZES) {
    for (const target of [gateway, broadcast]) {
      rows.push(await measure(target, size));
      console.log(rows.at(-1));
    }
  }
  console.log('\nsubscriptions bench (one gateway process, one order, events published on Redis as shop publishes them)');
  for (const row of rows) console.log(row);
  console.log(`  peer: the same selection as one HTTP query through the same gateway: p50 ${ms(percentile(http, 50))}, p99 ${ms(percentile(http, 99))}`);
  console.log('  targets: p99 < 100 ms at 10,000 subscribers, < 30 KB per subscriber');
} finally {
  peer?.kill('SIGTERM');
  redis.disconnect();
  await stack.stop();
}
