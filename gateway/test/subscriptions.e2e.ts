import { randomUUID } from 'node:crypto';
import { eventually, gql, graphql, metricsUrlOf, type Stack, scrapeCounter, startStack, stlCube, uploadFile } from '@fabline/dev';
import { signUserToken } from '@fabline/shared/auth';
import { baseEnvShape } from '@fabline/shared/env';
import { compareOrderEventCursors, ORDER_EVENT_LOG } from '@fabline/shared/orderEventLog';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { collect, wsClient } from './subscriptionClient.ts';

// Live order status through two gateway replicas, against real subgraphs, Redis and RabbitMQ.
let stack: Stack;
let a: string;
let b: string;
let manager: { token: string };
let operator: { token: string };

const logIn = async (email: string) =>
  (await gql<{ logIn: { token: string } }>(a, 'mutation($e: String!) { logIn(email: $e, password: "fabline-demo-2026") { token } }', { e: email })).logIn.token;

async function customerWithOrder(name: string) {
  const { signUp } = await gql(a, 'mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { id } } }', {
    input: { email: `${name.toLowerCase()}-${Date.now()}-${Math.random()}@example.com`, password: 'correct horse battery', name },
  });
  const auth = { token: signUp.token as string };
  const model = await uploadFile(a, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name: 'cube.stl', bytes: stlCube(20) }, auth);
  const { requestQuote } = await gql(
    a,
    'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
    { input: { modelId: model.data?.uploadModel.id, material: 'PLA', quantity: 2 } },
    auth,
  );
  const { placeOrder } = await gql(
    a,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
    { input: { items: [{ quoteId: requestQuote.id }] } },
    auth,
  );
  return { token: auth.token, customerId: signUp.viewer.id as string, orderId: placeOrder.id as string };
}

const approve = (url: string, orderId: string) =>
  eventually(async () => {
    const result = await graphql(url, 'mutation($id: ID!) { approveOrder(id: $id) { status } }', { id: orderId }, manager);
    return result.errors ? undefined : result.data;
  });

async function advance(url: string, orderId: string, stage: string) {
  await gql(url, 'mutation($id: ID!, $stage: ProductionStage!) { advanceProduction(orderId: $id, stage: $stage) { id } }', { id: orderId, stage }, operator);
}

const queued = (orderId: string) =>
  eventually(
    async () =>
      (await gql(a, 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: orderId }, operator)).order.production?.stage === 'QUEUED' ||
      undefined,
  );

const STATUS = `subscription($id: ID!, $after: ID) { orderStatusChanged(orderId: $id, after: $after) {
  id previousStatus status at
  order { id status customer { name } review { decision } production { stage } items { quote { price { amount } } } } } }`;

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '10000' } });
  a = stack.urls.gateway;
  b = (await stack.spawnExtra('gateway')).url;
  manager = { token: await logIn('manager@fabline.dev') };
  operator = { token: await logIn('operator@fabline.dev') };
});
afterAll(async () => {
  await stack?.stop();
});

describe('order status subscriptions', () => {
  it('reach a customer on replica A when the change is made through replica B, with fields from all three subgraphs, and only their own', async () => {
    const carla = await customerWithOrder('Carla');
    const otto = await customerWithOrder('Otto');
    const onA = wsClient(a, carla.token);
    const carlaEvents = collect(onA, STATUS, { id: carla.orderId }, 'orderStatusChanged');
    const ottoClient = wsClient(a, otto.token);
    const ottoOwn = collect(ottoClient, STATUS, { id: otto.orderId }, 'orderStatusChanged');
    const ottoSnooping = collect(ottoClient, STATUS, { id: carla.orderId }, 'orderStatusChanged');
    const ottoFeed = collect(ottoClient, 'subscription { orderEvents(kind: ALL) { id order { id } } }', {}, 'orderEvents');
    const managerFeed = collect(
      wsClient(b, manager.token),
      'subscription { orderEvents(kind: AWAITING_REVIEW) { previousStatus status order { id } } }',
      {},
      'orderEvents',
    );
    await eventually(async () => (ottoSnooping.done && ottoFeed.done) || undefined);
    expect((ottoSnooping.errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((ottoFeed.errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 300));

    await approve(b, carla.orderId);
    const [approved] = await carlaEvents.waitFor(1);
    expect(approved).toMatchObject({
      previousStatus: 'PLACED',
      status: 'APPROVED',
      order: {
        id: carla.orderId,
        status: 'APPROVED',
        customer: { name: 'Carla' },
        review: { decision: 'APPROVED' },
        // a 20 mm PLA cube × 2: see order-lifecycle.e2e.ts for the arithmetic
        items: [{ quote: { price: { amount: '9.81' } } }],
      },
    });
    await queued(carla.orderId);
    await advance(b, carla.orderId, 'PRINTING');
    const [, printing] = await carlaEvents.waitFor(2);
    expect(printing).toMatchObject({
      previousStatus: 'APPROVED',
      status: 'IN_PRODUCTION',
      order: { status: 'IN_PRODUCTION', production: { stage: 'PRINTING' } },
    });
    expect(BigInt(printing.id)).toBeGreaterThan(BigInt(approved.id));

    // a new order placed on A shows up in the managers' review feed on B
    const rita = await customerWithOrder('Rita');
    await eventually(async () => managerFeed.events.find((e) => e.order.id === rita.orderId));
    // the review feed: orders placed, and each leaving review once decided (Carla's approval), nothing of production
    expect(managerFeed.events.every((e) => e.status === 'PLACED' || e.previousStatus === 'PLACED')).toBe(true);
    expect(managerFeed.events.filter((e) => e.order.id === carla.orderId).map((e) => e.status)).toEqual(['APPROVED']);

    await new Promise((r) => setTimeout(r, 500));
    expect(ottoOwn.events).toEqual([]);
    expect(ottoOwn.errors).toEqual([]);
    await Promise.all([onA.dispose(), ottoClient.dispose()]);
  });

  it('after a reconnect with the last id, delivers exactly the missed events, then live ones', async () => {
    const dora = await customerWithOrder('Dora');
    const first = wsClient(a, dora.token);
    const before = collect(first, STATUS, { id: dora.orderId }, 'orderStatusChanged');
    await new Promise((r) => setTimeout(r, 300));
    await approve(b, dora.orderId);
    const [approved] = await before.waitFor(1);
    await first.dispose();

    await queued(dora.orderId);
    for (const stage of ['PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY']) await advance(b, dora.orderId, stage);
    await eventually(
      async () => (await gql(a, 'query($id: ID!) { order(id: $id) { status } }', { id: dora.orderId }, dora)).order.status === 'READY' || undefined,
    );

    const second = wsClient(b, dora.token);
    const after = collect(second, STATUS, { id: dora.orderId, after: approved.id }, 'orderStatusChanged');
    const missed = await after.waitFor(3);
    expect(missed.map((e) => e.status)).toEqual(['IN_PRODUCTION', 'QUALITY_CHECK', 'READY']);
    await advance(a, dora.orderId, 'SHIPPED');
    await after.waitFor(4);
    await new Promise((r) => setTimeout(r, 500));
    expect(after.events.map((e) => e.status)).toEqual(['IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED']);
    const ids = after.events.map((e) => BigInt(e.id));
    expect(ids.every((id, i) => i === 0 || id > (ids[i - 1] as bigint))).toBe(true);
    expect(ids[0]).toBeGreaterThan(BigInt(approved.id));
    await second.dispose();
  });

  it('carry every production stage move to every open board, also those that keep the status, while the customer hears status changes only', async () => {
    const hana = await customerWithOrder('Hana');
    const BOARD = 'subscription { orderEvents(kind: PRODUCTION) { id cursor previousStatus status order { id status production { stage } } } }';
    // two operators' boards, one on each replica, and the customer's order page
    const boardA = wsClient(a, operator.token);
    const boardB = wsClient(b, operator.token);
    const onA = collect(boardA, BOARD, {}, 'orderEvents');
    const onB = collect(boardB, BOARD, {}, 'orderEvents');
    const customer = wsClient(a, hana.token);
    const statuses = collect(customer, STATUS, { id: hana.orderId }, 'orderStatusChanged');
    await new Promise((r) => setTimeout(r, 300));
    await approve(b, hana.orderId);
    await queued(hana.orderId);
    const moves = ['PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY', 'SHIPPED'];
    for (const [i, stage] of moves.entries()) {
      await advance(i % 2 ? a : b, hana.orderId, stage);
      // each move reaches both boards before the next is made, with the card's new stage
      for (const board of [onA, onB])
        await eventually(async () => board.events.find((e) => e.order.id === hana.orderId && e.order.production?.stage === stage), { timeoutMs: 20_000 });
    }
    await statuses.waitFor(5);
    await new Promise((r) => setTimeout(r, 500));
    for (const board of [onA, onB]) {
      const ours = board.events.filter((e) => e.order.id === hana.orderId);
      // the approval (production not yet opened, or QUEUED), then one event per move, in order, once each
      expect(ours.map((e) => [e.previousStatus, e.status, e.order.production?.stage ?? null]).slice(1)).toEqual([
        ['APPROVED', 'IN_PRODUCTION', 'PRINTING'],
        ['IN_PRODUCTION', 'IN_PRODUCTION', 'POST_PROCESSING'],
        ['IN_PRODUCTION', 'QUALITY_CHECK', 'QUALITY_CHECK'],
        ['QUALITY_CHECK', 'READY', 'READY'],
        ['READY', 'SHIPPED', 'SHIPPED'],
      ]);
      expect(new Set(ours.map((e) => e.id)).size).toBe(ours.length);
      const cursors: string[] = ours.map((e) => e.cursor);
      expect(cursors.every((c, i) => i === 0 || compareOrderEventCursors(cursors[i - 1] as string, c) < 0)).toBe(true);
    }
    // the customer's answers are as before: status changes only, no POST_PROCESSING echo
    expect(statuses.events.map((e) => [e.previousStatus, e.status])).toEqual([
      ['PLACED', 'APPROVED'],
      ['APPROVED', 'IN_PRODUCTION'],
      ['IN_PRODUCTION', 'QUALITY_CHECK'],
      ['QUALITY_CHECK', 'READY'],
      ['READY', 'SHIPPED'],
    ]);
    const history = (await gql(a, 'query($id: ID!) { order(id: $id) { statusHistory { status } } }', { id: hana.orderId }, hana)).order.statusHistory;
    expect(history.map((h: { status: string }) => h.status)).toEqual(['PLACED', 'APPROVED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED']);
    await Promise.all([boardA.dispose(), boardB.dispose(), customer.dispose()]);
  });

  it('resume a staff feed after its last cursor: the changes missed on any order, in order, then live ones, once each', async () => {
    const fay = await customerWithOrder('Fay');
    const gus = await customerWithOrder('Gus');
    const FEED = 'subscription($after: ID) { orderEvents(kind: ALL, after: $after) { cursor status order { id } } }';
    const shows = (orderId: string, status: string) =>
      eventually(async () => (await gql(a, 'query($id: ID!) { order(id: $id) { status } }', { id: orderId }, manager)).order.status === status || undefined);
    const first = wsClient(a, manager.token);
    const before = collect(first, FEED, {}, 'orderEvents');
    await new Promise((r) => setTimeout(r, 300));
    await approve(b, fay.orderId);
    await eventually(async () => before.events.find((e) => e.order.id === fay.orderId && e.status === 'APPROVED'));
    await first.dispose();
    const last: string = before.events.at(-1).cursor;

    // three changes on two orders while the manager is away
    await approve(b, gus.orderId);
    await shows(gus.orderId, 'APPROVED');
    await queued(fay.orderId);
    await advance(b, fay.orderId, 'PRINTING');
    await shows(fay.orderId, 'IN_PRODUCTION');
    await queued(gus.orderId);
    await advance(a, gus.orderId, 'PRINTING');
    await shows(gus.orderId, 'IN_PRODUCTION');

    const second = wsClient(b, manager.token);
    const after = collect(second, FEED, { after: last }, 'orderEvents');
    const ours = () => after.events.filter((e) => e.order.id === fay.orderId || e.order.id === gus.orderId).map((e) => [e.order.id, e.status]);
    await eventually(async () => ours().length >= 3 || undefined);
    await advance(a, fay.orderId, 'POST_PROCESSING');
    await advance(a, fay.orderId, 'QUALITY_CHECK');
    await eventually(async () => ours().length >= 5 || undefined);
    await new Promise((r) => setTimeout(r, 500));
    expect(ours()).toEqual([
      [gus.orderId, 'APPROVED'],
      [fay.orderId, 'IN_PRODUCTION'],
      [gus.orderId, 'IN_PRODUCTION'],
      // PRINTING → POST_PROCESSING: the status stays, the feed still hears the move
      [fay.orderId, 'IN_PRODUCTION'],
      [fay.orderId, 'QUALITY_CHECK'],
    ]);
    const cursors: string[] = [last, ...after.events.map((e) => e.cursor)];
    expect(cursors.every((c, i) => i === 0 || compareOrderEventCursors(cursors[i - 1] as string, c) < 0)).toBe(true);
    await second.dispose();

    // the log trimmed past the cursor: a clear error instead of a silent gap; a made-up cursor is bad input
    const redis = new Redis(stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await redis.xtrim(`${stack.namespace}:${ORDER_EVENT_LOG}`, 'MAXLEN', 1);
    redis.disconnect();
    const third = wsClient(a, manager.token);
    const expired = collect(third, FEED, { after: last }, 'orderEvents');
    const malformed = collect(third, FEED, { after: 'yesterday' }, 'orderEvents');
    await eventually(async () => (expired.done && malformed.done) || undefined);
    const code = (received: { errors: unknown[] }) => (received.errors[0] as { extensions?: { code?: string } }[])[0]?.extensions?.code;
    expect(code(expired)).toBe('RESUME_WINDOW_EXPIRED');
    expect(code(malformed)).toBe('BAD_USER_INPUT');
    expect(expired.events).toEqual([]);
    await third.dispose();
  });

  it('also speak GraphQL over server-sent events, and quoteReady answers a priced quote at once', async () => {
    const eve = await customerWithOrder('Eve');
    const response = await fetch(b, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${eve.token}` },
      body: JSON.stringify({ query: STATUS, variables: { id: eve.orderId } }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).pipeThrough(new TextDecoderStream()).getReader();
    await new Promise((r) => setTimeout(r, 300));
    await approve(a, eve.orderId);
    let text = '';
    while (!text.includes('\n\n')) text += (await reader.read()).value ?? '';
    const [head, data] = text.split('\n');
    expect(head).toBe('event: next');
    expect(JSON.parse(data?.slice('data: '.length) ?? '')).toMatchObject({
      data: { orderStatusChanged: { status: 'APPROVED', order: { customer: { name: 'Eve' } } } },
    });
    await reader.cancel();

    const anonymous = await fetch(b, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ query: STATUS, variables: { id: eve.orderId } }),
    });
    expect(anonymous.status).toBe(401);

    const { order } = await gql(a, 'query($id: ID!) { order(id: $id) { items { quote { id } } } }', { id: eve.orderId }, eve);
    const client = wsClient(a, eve.token);
    const ready = collect(
      client,
      'subscription($id: ID!) { quoteReady(quoteId: $id) { id status price { amount } } }',
      { id: order.items[0].quote.id },
      'quoteReady',
    );
    expect(await ready.waitFor(1)).toEqual([{ id: order.items[0].quote.id, status: 'READY', price: { amount: '9.81' } }]);
    await eventually(async () => ready.done || undefined);
    await client.dispose();
  });

  it('ends a connection when its token expires: WebSocket close 4401, SSE an UNAUTHENTICATED error', async () => {
    const kim = await customerWithOrder('Kim');
    const short = await signUserToken({ id: kim.customerId, role: 'CUSTOMER' }, baseEnvShape.JWT_SECRET.parse(stack.env.JWT_SECRET), '3s');
    const socket = new WebSocket(a.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<[number, string]>((resolve) => socket.on('close', (code, reason) => resolve([code, String(reason)])));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${short}` } }));
    await new Promise((resolve) => socket.once('message', resolve));
    socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: STATUS, variables: { id: kim.orderId } } }));

    const response = await fetch(b, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${short}` },
      body: JSON.stringify({ query: STATUS, variables: { id: kim.orderId } }),
    });
    expect(response.status).toBe(200);
    const [code, reason] = await closed;
    expect(code).toBe(4401);
    expect(reason).toContain('Token expired');
    const text = await response.text();
    expect(text).toContain('"UNAUTHENTICATED"');
    expect(text).toContain('Token expired');
    expect(text.trimEnd().endsWith('event: complete\ndata:')).toBe(true);
  });

  it('cuts off a client that stops reading, with close code 1013, and gateway memory stays bounded', async () => {
    const slow = await customerWithOrder('Sam');
    // a fat subscription on purpose (300 aliases): a replica whose operation limits allow it
    const roomy = (await stack.spawnExtra('gateway', { MAX_ALIASES: '400', COST_BUDGETS: '{"default":10000000}' })).url;
    const rss = async () => {
      const text = await (await fetch(metricsUrlOf(roomy))).text();
      return Number(/^process_resident_memory_bytes\S* (\d+)/m.exec(text)?.[1]);
    };
    const socket = new WebSocket(roomy.replace(/^http/, 'ws'), 'graphql-transport-ws');
    const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
    await new Promise((resolve) => socket.on('open', resolve));
    socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${slow.token}` } }));
    await new Promise((resolve) => socket.once('message', resolve));
    // ~60 KB per event: the same history selected under many aliases
    const fat = Array.from({ length: 300 }, (_, i) => `h${i}: statusHistory { id previousStatus status at }`).join(' ');
    socket.send(
      JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: `subscription($id: ID!) { orderStatusChanged(orderId: $id) { id order { ${fat} } } }`, variables: { id: slow.orderId } },
      }),
    );
    // live (and the new replica warm) once an event comes through: published until one does
    const redis = new Redis(stack.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    const channel = `${stack.namespace}:order-status:${slow.orderId}`;
    const event = (eventId: number) => ({
      orderId: slow.orderId,
      customerId: slow.customerId,
      previousStatus: 'PLACED',
      status: 'APPROVED',
      at: new Date().toISOString(),
      eventId: String(eventId),
    });
    let warmUp = 1e11;
    let first: unknown;
    socket.once('message', (data) => {
      first = JSON.parse(String(data));
    });
    await eventually(async () => {
      if (first === undefined) await redis.publish(channel, JSON.stringify(event(warmUp++)));
      return first;
    });
    expect(first).toMatchObject({ id: '1', type: 'next' });
    // another subscriber of the same order (another connection, another operation) that reads everything
    const reader = wsClient(roomy, slow.token);
    const read = collect<{ id: string }>(
      reader,
      'subscription($id: ID!) { orderStatusChanged(orderId: $id) { id } }',
      { id: slow.orderId },
      'orderStatusChanged',
    );
    await eventually(async () => {
      if (read.events.length === 0) await redis.publish(channel, JSON.stringify(event(warmUp++)));
      return read.events[0];
    });
    const rssBefore = await rss();
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

    const metric = (text: string, pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? 0);
    const progress = async () => {
      const text = await (await fetch(metricsUrlOf(roomy))).text();
      return {
        drops: metric(text, /^fabline_subscription_drops_total\{[^}]*reason="slow_client"[^}]*\} (\d+)/m),
        delivered: metric(text, /^fabline_subscription_events_delivered_total\{[^}]*field="orderStatusChanged"[^}]*\} (\d+)/m),
      };
    };
    // the kernel's socket buffers take what they take (tcp_rmem may let loopback hold 32 MiB, ~600 of these
    // events); after that the gateway holds at most SUBSCRIPTION_MAX_PENDING_EVENTS (100) more before it cuts off
    const MOST = 1500;
    let sent = 0;
    // in batches, each one handled (delivered to both subscribers, or the slow one cut off) before the next:
    // paced by the gateway's own counters, however loaded the machine
    for (let now = await progress(); now.drops === 0 && sent < MOST; ) {
      const before = now.delivered;
      const batch = 20;
      for (let i = 0; i < batch; i++, sent++) await redis.publish(channel, JSON.stringify(event(1e12 + sent)));
      now = await eventually(
        async () => {
          const next = await progress();
          return next.drops > 0 || next.delivered >= before + 2 * batch ? next : undefined;
        },
        { timeoutMs: 300_000, intervalMs: 50 },
      );
    }
    redis.disconnect();
    expect((await progress()).drops).toBe(1);
    const rssAfter = await rss();
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
    console.info(`slow client cut off after ${sent} events; gateway RSS ${Math.round(rssBefore / 2 ** 20)} → ${Math.round(rssAfter / 2 ** 20)} MiB`);
    // the pending events (100 × ~60 KB) and the socket buffers, not the ${sent} events published
    expect(rssAfter - rssBefore).toBeLessThan(96 * 2 ** 20);
    // the other subscriber of the order got every event, in order: one slow client stalls no one else
    const expected = Array.from({ length: sent }, (_, i) => String(1e12 + i));
    await eventually(async () => read.events.filter((e) => BigInt(e.id) >= 1e12).length >= sent || undefined, { timeoutMs: 120_000 });
    expect(read.events.map((e) => e.id).filter((id) => BigInt(id) >= 1e12)).toEqual(expected);
    expect(read.done).toBe(false);
    read.stop();
    await reader.dispose();
  }, 600_000);
});

const PARTNER = 'fbl_demo_partner_0001';
type Errors = { message: string; extensions?: { code?: string } }[];
/** The errors a subscription ended with (graphql-ws sends them as one `error` message). */
const endedWith = (received: { errors: unknown[] }) => (received.errors[0] ?? []) as Errors;

/** A graphql-ws connection without a client library, to send frames back to back; collects every frame it receives. */
async function rawConnection(url: string, token: string) {
  const socket = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  const frames: { id?: string; type: string; payload?: unknown }[] = [];
  socket.on('message', (data) => frames.push(JSON.parse(String(data))));
  await new Promise((resolve) => socket.on('open', resolve));
  socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } }));
  await eventually(async () => frames.find((f) => f.type === 'connection_ack'));
  return { socket, frames };
}

/** A subscription over server-sent events; the parsed body when the gateway refuses it. */
async function sse(url: string, query: string, variables: Record<string, unknown>, headers: Record<string, string>) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  if (response.headers.get('content-type')?.includes('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, errors: [] as Errors };
  }
  return { status: response.status, errors: ((await response.json()) as { errors: Errors }).errors };
}

/** `customer { orders { edges { node { … } } } }` `times` times under an order: 4 levels each. */
const nested = (times: number) => `${'customer { orders(first: 1) { edges { node { '.repeat(times)}id${' } } } }'.repeat(times)}`;

describe('subscriptions pass the checks HTTP operations pass', () => {
  it('hold a partner to the public contract over WebSocket and SSE, refused as over HTTP, with no hint of private fields', async () => {
    const breakdown = 'subscription($id: ID!) { quoteReady(quoteId: $id) { id breakdown { material { amount } } } }';
    const overHttp = await graphql(a, 'query($id: ID!) { quote(id: $id) { id breakdown { material { amount } } } }', { id: randomUUID() }, { apiKey: PARTNER });
    expect(overHttp.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const partner = wsClient(a, { apiKey: PARTNER });
    const privateField = collect(partner, breakdown, { id: randomUUID() }, 'quoteReady');
    const typo = collect(partner, 'subscription($id: ID!) { quoteRedy(quoteId: $id) { id } }', { id: randomUUID() }, 'quoteRedy');
    await eventually(async () => (privateField.done && typo.done) || undefined);
    for (const received of [privateField, typo]) {
      expect(received.events).toEqual([]);
      expect(endedWith(received)[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
      // phrased as if the private schema did not exist: no "Did you mean "quoteReady"?"
      expect(JSON.stringify(received.errors)).not.toMatch(/quoteReady|breakdown|Did you mean/);
    }
    await partner.dispose();

    const overSse = await sse(b, breakdown, { id: randomUUID() }, { 'x-api-key': PARTNER });
    expect(overSse.status).toBe(400);
    expect(overSse.errors[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('refuse too deep, too many aliases and too expensive with the codes HTTP answers', async () => {
    const id = randomUUID();
    const cases = [
      ['MAX_DEPTH_LIMIT', nested(8)], // 35 levels under the subscription, 34 under the query
      ['MAX_ALIASES_LIMIT', Array.from({ length: 200 }, (_, i) => `a${i}: id`).join(' ')],
      ['COST_ESTIMATED_TOO_EXPENSIVE', 'customer { orders(first: 1000) { edges { node { items { quote { id } } } } } }'],
    ] as const;
    const client = wsClient(a, manager.token);
    for (const [code, selection] of cases) {
      const overHttp = await graphql(a, `query($id: ID!) { order(id: $id) { ${selection} } }`, { id }, manager);
      const query = `subscription($id: ID!) { orderStatusChanged(orderId: $id) { order { ${selection} } } }`;
      expect(overHttp.errors?.[0]?.extensions?.code).toBe(code);
      const received = collect(client, query, { id }, 'orderStatusChanged');
      await eventually(async () => received.done || undefined);
      expect(endedWith(received).map((e) => e.extensions?.code)).toEqual([code]);
      const overSse = await sse(b, query, { id }, { authorization: `Bearer ${manager.token}` });
      expect(overSse.status).toBe(400);
      expect(overSse.errors.map((e) => e.extensions?.code)).toEqual([code]);
    }
    await client.dispose();
  });

  it('refuse a root field skipped or included on a variable with BAD_USER_INPUT over WebSocket and SSE, as over HTTP', async () => {
    const query = 'subscription($id: ID!, $s: Boolean!) { orderStatusChanged(orderId: $id) @skip(if: $s) { status } }';
    const variables = { id: randomUUID(), s: false };
    const client = wsClient(a, manager.token);
    const received = collect(client, query, variables, 'orderStatusChanged');
    await eventually(async () => received.done || undefined);
    expect(endedWith(received).map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(endedWith(received)[0]?.message).toMatch(/@skip\/@include/);
    await client.dispose();
    const overSse = await sse(b, query, variables, { authorization: `Bearer ${manager.token}` });
    expect(overSse.status).toBe(400);
    expect(overSse.errors.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('open at most 50 subscriptions on one connection, however fast the subscribe frames come', async () => {
    const active = async () => (await scrapeCounter(metricsUrlOf(a), 'fabline_subscriptions_active', 'field')).orderEvents ?? 0;
    const before = await active();
    const { socket, frames } = await rawConnection(a, manager.token);
    const query = 'subscription { orderEvents(kind: AWAITING_REVIEW) { status } }';
    for (let i = 0; i < 300; i++) socket.send(JSON.stringify({ id: String(i), type: 'subscribe', payload: { query } }));
    const refused = () => frames.filter((f) => f.type === 'error');
    // every frame is either refused or an open subscription
    const opened = await eventually(async () => {
      const open = (await active()) - before;
      return open + refused().length >= 300 ? open : undefined;
    });
    expect(opened).toBe(50);
    expect(refused()).toHaveLength(250);
    expect(new Set(refused().map((f) => (f.payload as Errors)[0]?.extensions?.code))).toEqual(new Set(['SUBSCRIPTION_LIMIT']));
    // a slot is freed when a subscription completes
    socket.send(JSON.stringify({ id: '0', type: 'complete' }));
    await eventually(async () => ((await active()) - before === 49 ? true : undefined));
    socket.send(JSON.stringify({ id: 'again', type: 'subscribe', payload: { query } }));
    await eventually(async () => ((await active()) - before === 50 ? true : undefined));
    expect(refused()).toHaveLength(250);
    socket.close();
    await eventually(async () => ((await active()) === before ? true : undefined));
  });

  it("charge a subscription start to the caller's rate-limit budget, shared with HTTP", async () => {
    const { url } = await stack.spawnExtra('gateway', { NAMESPACE: `${stack.namespace}_subrl`, RATE_LIMIT_REQUESTS: '{"default":3}' });
    const client = wsClient(url, manager.token);
    const query = 'subscription { orderEvents(kind: AWAITING_REVIEW) { status } }';
    const feeds = [collect(client, query, {}, 'orderEvents'), collect(client, query, {}, 'orderEvents')];
    const metrics = metricsUrlOf(url);
    await eventually(async () => ((await scrapeCounter(metrics, 'fabline_subscriptions_active', 'field')).orderEvents === 2 ? true : undefined));
    const overHttp = await graphql(url, '{ __typename }', {}, manager);
    expect(overHttp.headers.get('ratelimit-remaining')).toBe('0');
    const refused = collect(client, query, {}, 'orderEvents');
    await eventually(async () => refused.done || undefined);
    expect(endedWith(refused)[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(feeds.map((f) => [f.done, f.errors])).toEqual([
      [false, []],
      [false, []],
    ]);
    await client.dispose();
  });
});
