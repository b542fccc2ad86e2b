// `npm run bench:subscriptions`: N concurrent WebSocket subscribers on one gateway process, one
// order's status events published as shop publishes them; prints event-to-client latency and
// gateway RSS per subscriber, beside a peer measured in the same run: the same selection as one
// HTTP query through the same gateway (what a polling client would pay per look).
import { gql, startStack, stlCube, UNLIMITED_CLIENT_ENV, uploadFile } from '@fabline/dev';
import { Redis } from 'ioredis';
import WebSocket from 'ws';

const SIZES = (process.env.BENCH_SUBSCRIBERS ?? '1000,10000').split(',').map(Number);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 20);
const SELECTION = 'id status at order { id status customer { name } }';

const stack = await startStack({
  env: { LOG_LEVEL: 'warn', ...UNLIMITED_CLIENT_ENV, QUOTE_WAIT_MS: '10000', SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: '20000' },
});
const url = stack.urls.gateway;
const redis = new Redis(stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

const metric = async (pattern: RegExp) => {
  const text = await (await fetch(new URL('/metrics', url))).text();
  return Number(pattern.exec(text)?.[1] ?? 0);
};
const rss = () => metric(/^process_resident_memory_bytes\S* (\d+(?:\.\d+)?(?:e\+\d+)?)/m);
const active = () => metric(/^fabline_subscriptions_active\{[^}]*field="orderStatusChanged"[^}]*\} (\d+)/m);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
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

  // the peer: the same selection as one HTTP query, sequentially
  const http: number[] = [];
  for (let i = 0; i < 50; i++) {
    const start = performance.now();
    await gql(url, `query($id: ID!) { order(id: $id) { id status customer { name } } }`, { id: orderId }, auth);
    http.push(performance.now() - start);
  }
  http.sort((x, y) => x - y);

  let eventId = 1e12;
  const rows: string[] = [];
  for (const size of SIZES) {
    const rssBefore = await rss();
    const latencies: number[] = [];
    const sockets: WebSocket[] = [];
    const wsUrl = url.replace(/^http/, 'ws');
    const openOne = () =>
      new Promise<void>((resolve, reject) => {
        const socket = new WebSocket(wsUrl, 'graphql-transport-ws', { perMessageDeflate: false });
        sockets.push(socket);
        socket.on('error', reject);
        socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${auth.token}` } })));
        socket.on('message', (raw) => {
          const text = String(raw);
          if (text.startsWith('{"type":"connection_ack"')) {
            socket.send(
              JSON.stringify({
                id: '1',
                type: 'subscribe',
                payload: { query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { ${SELECTION} } }`, variables: { id: orderId } },
              }),
            );
            resolve();
            return;
          }
          // the bench process shares two cores with the gateway: read the timestamp without parsing the whole message
          const at = /"type":"next".*"at":"([^"]+)"/.exec(text)?.[1];
          if (at) latencies.push(Date.now() - Date.parse(at));
        });
      });
    const opened = Date.now();
    for (let i = 0; i < size; i += 250) await Promise.all(Array.from({ length: Math.min(250, size - i) }, openOne));
    await until(async () => (await active()) >= size, 180_000, `${size} subscriptions`);
    const setupSeconds = (Date.now() - opened) / 1000;
    await sleep(2000);
    const rssSubscribed = await rss();

    // one unmeasured event first: the gateway plans the federated query once, then reuses the plan
    for (let i = -1; i < EVENTS; i++) {
      if (i === 0) {
        await until(async () => latencies.length >= size, 30_000, 'the warm-up event').catch((e) => console.warn(String(e)));
        latencies.length = 0;
      }
      eventId++;
      const message = {
        orderId,
        customerId: signUp.viewer.id,
        previousStatus: 'PLACED',
        status: 'PLACED',
        at: new Date().toISOString(),
        eventId: String(eventId),
      };
      await redis.publish(channel, JSON.stringify(message));
      await sleep(Math.max(250, size / 20));
    }
    await until(async () => latencies.length >= size * EVENTS, 30_000, 'every event at every subscriber').catch((e) => console.warn(String(e)));
    latencies.sort((x, y) => x - y);
    const perSubscriberKb = (rssSubscribed - rssBefore) / size / 1024;
    rows.push(
      `${String(size).padStart(6)} subscribers: ${latencies.length}/${size * EVENTS} deliveries, event-to-client p50 ${ms(percentile(latencies, 50))}, p99 ${ms(percentile(latencies, 99))}, max ${ms(latencies.at(-1) ?? Number.NaN)}; gateway RSS +${((rssSubscribed - rssBefore) / 2 ** 20).toFixed(1)} MiB = ${perSubscriberKb.toFixed(1)} KB per subscriber (set up in ${setupSeconds.toFixed(1)} s)`,
    );
    console.log(rows.at(-1));
    for (const socket of sockets) socket.terminate();
    await until(async () => (await active()) === 0, 60_000, 'subscriptions to end');
  }
  console.log('\nsubscriptions bench (one gateway process, one order, events published on Redis as shop publishes them)');
  for (const row of rows) console.log(row);
  console.log(`  peer: the same selection as one HTTP query through the same gateway: p50 ${ms(percentile(http, 50))}, p99 ${ms(percentile(http, 99))}`);
  console.log('  targets: p99 < 100 ms at 10,000 subscribers, < 30 KB per subscriber');
} finally {
  redis.disconnect();
  await stack.stop();
}
