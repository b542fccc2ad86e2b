import { createServer, type Server, type Socket } from 'node:net';
import { eventually, gql, graphql, metricsUrlOf, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { wsClient } from './subscriptionClient.ts';

// The response cache through real gateways, subgraphs, Redis, RabbitMQ and PostgreSQL.
let stack: Stack;
let url: string;
let second: string;
let admin: { token: string };
let manager: { token: string };
const password = 'fabline-demo-2026';

const logIn = async (email: string) => ({
  token: (await gql(url, 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: password })).logIn.token as string,
});

/** One counter of the gateway at `gatewayUrl` for one operation. */
async function cacheCount(gatewayUrl: string, metric: string, labels: Record<string, string>) {
  const text = await (await fetch(metricsUrlOf(gatewayUrl))).text();
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  const line = text.split('\n').find((l) => l.startsWith(`${metric}{`) && wanted.every((w) => l.includes(w)));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}
const lookups = (gatewayUrl: string, operation: string, result: string) => cacheCount(gatewayUrl, 'fabline_cache_lookups_total', { operation, result });

async function newCustomer(name: string) {
  const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `${name}-${Date.now()}-${Math.random()}@example.com`, password: 'correct horse battery', name },
  });
  return { token: signUp.token as string };
}

async function placeOrder(customer: { token: string }) {
  const uploaded = await uploadFile(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name: 'c.stl', bytes: stlCube(10) }, customer);
  const { requestQuote } = await gql(
    url,
    'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
    { input: { modelId: uploaded.data?.uploadModel.id, material: 'PLA', quantity: 1 } },
    customer,
  );
  const { placeOrder } = await gql(
    url,
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
    { input: { items: [{ quoteId: requestQuote.id }] } },
    customer,
  );
  return placeOrder.id as string;
}

/** A new customer's placed order, and its status as the customer reads it (operation `name`) through a gateway. */
async function watchedOrder(customerName: string, name: string) {
  const customer = await newCustomer(customerName);
  const orderId = await placeOrder(customer);
  const read = `query ${name}($id: ID!) { order(id: $id) { id status } }`;
  const statusAt = async (at: string) => (await gql(at, read, { id: orderId }, customer)).order.status as string;
  return { customer, orderId, statusAt };
}

async function invalidate(body: unknown, auth?: { token: string }, at = url) {
  const response = await fetch(at.replace('/graphql', '/admin/cache/invalidate'), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth.token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { entries?: number; tags?: string[]; replicas?: string; errors?: { extensions: { code: string } }[] },
  };
}

beforeAll(async () => {
  // a lease long enough that a replica busy under a loaded test run still acknowledges within it
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '10000', CACHE_NEAR_LEASE_MS: '1000' } });
  url = stack.urls.gateway;
  second = (await stack.spawnExtra('gateway')).url;
  [admin, manager] = await Promise.all([logIn('admin@fabline.dev'), logIn('manager@fabline.dev')]);
});
afterAll(async () => {
  await stack?.stop();
});

describe('public responses', () => {
  it('are shared by every caller and carry Cache-Control and Age', async () => {
    const query = 'query CatalogPla { material(code: "PLA") { code name pricePerKg { amount currency } } }';
    const first = await graphql(url, query);
    expect(first.data).toEqual({ material: { code: 'PLA', name: expect.any(String), pricePerKg: { amount: expect.any(String), currency: 'EUR' } } });
    expect(first.headers.get('cache-control')).toBe('max-age=300, public');
    expect(first.headers.get('age')).toBeNull();
    const customer = await newCustomer('pat');
    const again = await graphql(url, query, {}, customer);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('cache-control')).toBe('max-age=300, public');
    expect(Number(again.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(await lookups(url, 'CatalogPla', 'miss')).toBe(1);
    expect(await lookups(url, 'CatalogPla', 'hit')).toBe(1);
    expect(await cacheCount(url, 'fabline_cache_bytes_total', { operation: 'CatalogPla', direction: 'read' })).toBeGreaterThan(0);
  });
});

describe('private responses', () => {
  it('are kept per viewer: another customer never gets them', async () => {
    const alice = await newCustomer('alice');
    const bob = await newCustomer('bob');
    const orderId = await placeOrder(alice);
    const query = 'query AliceOrder($id: ID!) { order(id: $id) { id status total { amount } } }';
    const first = await graphql(url, query, { id: orderId }, alice);
    expect(first.data?.order).toMatchObject({ id: orderId });
    expect(first.headers.get('cache-control')).toBe('max-age=30, private');
    const again = await graphql(url, query, { id: orderId }, alice);
    expect(again.data).toEqual(first.data);
    expect(again.headers.get('age')).toBeNull();
    expect(await lookups(url, 'AliceOrder', 'hit')).toBe(1);
    const theirs = await graphql(url, query, { id: orderId }, bob);
    expect(theirs.data?.order ?? null).toBeNull();
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await lookups(url, 'AliceOrder', 'hit')).toBe(1);
  });

  it('are not stored when the response has errors', async () => {
    const customer = await newCustomer('erin');
    for (let i = 0; i < 2; i++) {
      const bad = await graphql(url, 'query BadOrder { order(id: "not-an-id") { id status } }', {}, customer);
      expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await lookups(url, 'BadOrder', 'miss')).toBe(2);
    expect(await lookups(url, 'BadOrder', 'hit')).toBe(0);
    expect(await cacheCount(url, 'fabline_cache_stores_total', { operation: 'BadOrder', result: 'stored' })).toBe(0);
  });
});

describe('mutations', () => {
  it('are never served from the cache and drop the entities they change', async () => {
    const customer = await newCustomer('mia');
    const orderId = await placeOrder(customer);
    const read = 'query MyOrder($id: ID!) { order(id: $id) { id status } }';
    expect((await gql(url, read, { id: orderId }, customer)).order.status).toBe('PLACED');
    expect((await gql(url, read, { id: orderId }, customer)).order.status).toBe('PLACED');
    expect(await lookups(url, 'MyOrder', 'hit')).toBe(1);

    const note = 'mutation Note($id: ID!) { addOrderNote(orderId: $id, body: "call the customer") { id } }';
    const a = await gql(url, note, { id: orderId }, manager);
    const b = await gql(url, note, { id: orderId }, manager);
    expect(a.addOrderNote.id).not.toBe(b.addOrderNote.id);
    expect(await lookups(url, 'Note', 'miss')).toBe(0);

    await gql(url, 'mutation Cancel($id: ID!) { cancelOrder(id: $id) { id } }', { id: orderId }, customer);
    expect((await gql(url, read, { id: orderId }, customer)).order.status).toBe('CANCELLED');
    expect(await cacheCount(url, 'fabline_cache_invalidations_total', { source: 'mutation' })).toBeGreaterThan(0);
  });
});

describe('an order approved while its customer watches', () => {
  it('never shows the old status again once the new one has been seen, on any gateway', async () => {
    const { statusAt, orderId } = await watchedOrder('olga', 'WatchOrder');
    expect(await statusAt(url)).toBe('PLACED');
    expect(await statusAt(second)).toBe('PLACED');
    expect(await lookups(second, 'WatchOrder', 'hit')).toBe(1);
    // read again: now from the second gateway's copy in memory, which the approval must drop too
    const nearHits = await cacheCount(second, 'fabline_cache_near_lookups_total', { result: 'hit' });
    expect(await statusAt(second)).toBe('PLACED');
    expect(await cacheCount(second, 'fabline_cache_near_lookups_total', { result: 'hit' })).toBe(nearHits + 1);

    await eventually(async () => {
      const result = await graphql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: orderId }, manager);
      return result.errors ? undefined : true;
    });
    const seen: string[] = [];
    const started = Date.now();
    while (!seen.includes('APPROVED') && Date.now() - started < 10_000) seen.push(await statusAt(seen.length % 2 ? url : second));
    expect(seen).toContain('APPROVED');
    // well inside the 30 s the entry was allowed to live: the status event dropped it
    expect(Date.now() - started).toBeLessThan(10_000);
    for (let i = 0; i < 20; i++) seen.push(await statusAt(i % 2 ? url : second));
    expect(seen.slice(seen.indexOf('APPROVED'))).toEqual(seen.slice(seen.indexOf('APPROVED')).map(() => 'APPROVED'));
    expect(await cacheCount(url, 'fabline_cache_invalidations_total', { source: 'order_status' })).toBeGreaterThan(0);
  });
});

describe('an approval pushed through a subscription', () => {
  it('is sent only once no gateway can answer the old status from its cache', async () => {
    const { customer, statusAt, orderId } = await watchedOrder('pavel', 'WatchPushed');
    // cached in Redis and held in the memory of both gateways
    for (const at of [url, second, url, second]) expect(await statusAt(at)).toBe('PLACED');
    expect(await lookups(second, 'WatchPushed', 'hit')).toBeGreaterThanOrEqual(1);

    const client = wsClient(url, customer.token);
    // read at once when the push arrives, on the gateway that did not send it
    const readAfterPush = new Promise<string>((resolve, reject) => {
      client.subscribe<{ orderStatusChanged: { status: string } }>(
        { query: 'subscription($id: ID!) { orderStatusChanged(orderId: $id) { status } }', variables: { id: orderId } },
        {
          next: (result) => {
            if (result.data?.orderStatusChanged.status === 'APPROVED') statusAt(second).then(resolve, reject);
          },
          error: reject,
          complete: () => {},
        },
      );
    });
    // the subscription is live once the gateway has checked the order; approve only then
    await new Promise((resolve) => setTimeout(resolve, 500));
    await eventually(async () => {
      const result = await graphql(second, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: orderId }, manager);
      return result.errors ? undefined : true;
    });
    try {
      expect(await readAfterPush).toBe('APPROVED');
    } finally {
      await client.dispose();
    }
  });
});

describe('admin invalidation', () => {
  it('is for admins only and says what was wrong', async () => {
    expect((await invalidate({ types: ['Material'] })).status).toBe(401);
    expect((await invalidate({ types: ['Material'] }, manager)).body.errors?.[0]?.extensions.code).toBe('FORBIDDEN');
    const bad = await invalidate({ entities: ['PLA'] }, admin);
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]?.extensions.code).toBe('BAD_USER_INPUT');
    expect((await invalidate({}, admin)).status).toBe(400);
  });

  it('on one gateway stops the other from serving an entry the database no longer backs', async () => {
    const query = 'query CatalogPetg { material(code: "PETG") { code name } }';
    const original = (await gql(second, query)).material.name as string;
    const db = new pg.Client({ connectionString: stack.databaseUrls.mes });
    await db.connect();
    try {
      await db.query(`UPDATE materials SET name = $1 WHERE code = 'PETG'`, ['PETG (recycled)']);
      // changed behind the platform's back: both gateways still serve the cached name (the second from memory)
      expect((await gql(second, query)).material.name).toBe(original);
      expect((await gql(url, query)).material.name).toBe(original);
      expect((await gql(second, query)).material.name).toBe(original);
      const done = await invalidate({ entities: ['Material:PETG'] }, admin, url);
      expect(done.status).toBe(200);
      expect(done.body.entries).toBeGreaterThanOrEqual(1);
      // answered once every replica had dropped its copy
      expect(done.body.replicas).toBe('acknowledged');
      expect((await gql(second, query)).material.name).toBe('PETG (recycled)');

      const list = 'query Materials { materials { code name } }';
      expect((await gql(second, list)).materials.find((m: { code: string }) => m.code === 'PETG').name).toBe('PETG (recycled)');
      await db.query(`UPDATE materials SET name = $1 WHERE code = 'PETG'`, [original]);
      expect((await gql(second, list)).materials.find((m: { code: string }) => m.code === 'PETG').name).toBe('PETG (recycled)');
      expect((await invalidate({ types: ['Material'] }, admin, url)).status).toBe(200);
      expect((await gql(second, list)).materials.find((m: { code: string }) => m.code === 'PETG').name).toBe(original);
    } finally {
      await db.end();
    }
  });
});

describe('a slow or dead Redis', () => {
  let blackHole: Server;
  const sockets = new Set<Socket>();
  afterAll(() => {
    for (const s of sockets) s.destroy();
    blackHole?.close();
  });

  it('costs at most a short timeout: answers come from the subgraphs and the fault shows in metrics', async () => {
    // accepts connections and never answers: every command would wait forever without the timeout
    blackHole = createServer((socket) => {
      sockets.add(socket);
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const port = (blackHole.address() as { port: number }).port;
    const slow = (await stack.spawnExtra('gateway', { CACHE_REDIS_URL: `redis://127.0.0.1:${port}` })).url;
    for (let i = 0; i < 10; i++) {
      const started = Date.now();
      const result = await graphql(slow, 'query SlowRedis { materials { code } }', {}, { headers: { 'x-attempt': String(i) } });
      expect(result.data?.materials).toHaveLength(5);
      expect(Date.now() - started).toBeLessThan(2000);
    }
    expect(await lookups(slow, 'SlowRedis', 'error')).toBe(10);
    const text = await (await fetch(metricsUrlOf(slow))).text();
    expect(text).toMatch(/fabline_cache_circuit_open\{[^}]*\} 1/);
    expect(await cacheCount(slow, 'fabline_cache_redis_errors_total', { op: 'lookup' })).toBeGreaterThanOrEqual(5);
  });
});

describe('hits of known operations (the fast path before Apollo)', () => {
  const query = 'query FastMaterials { materials { code name } }';
  const fastPath = (at: string, outcome: string) => cacheCount(at, 'fabline_cache_fast_path_total', { operation: 'FastMaterials', outcome });

  it('answer exactly what Apollo answered, with the same headers', async () => {
    const first = await graphql(url, query);
    const second = await graphql(url, query);
    expect(await fastPath(url, 'hit')).toBe(1);
    expect(second.data).toEqual(first.data);
    expect(second.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(second.headers.get('cache-control')).toBe(first.headers.get('cache-control'));
    expect(Number(second.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(second.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    // the hit counts as an operation like any other
    expect(await cacheCount(url, 'fabline_gateway_operation_duration_seconds_count', { operation: 'FastMaterials', type: 'query', client: 'anonymous' })).toBe(
      2,
    );
  });

  it('still draw from the rate limit and get 429 when it runs out', async () => {
    const limited = (await stack.spawnExtra('gateway', { RATE_LIMIT_REQUESTS: JSON.stringify({ default: 1000, CUSTOMER: 4 }) })).url;
    const customer = await newCustomer('counted');
    const remaining: (string | null)[] = [];
    for (let i = 0; i < 4; i++) {
      const answer = await graphql(limited, query, {}, customer);
      expect(answer.errors).toBeUndefined();
      remaining.push(answer.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    expect(await fastPath(limited, 'hit')).toBeGreaterThanOrEqual(2);
    const refused = await graphql(limited, query, {}, customer);
    expect(refused.status).toBe(429);
    expect(refused.errors?.[0]?.extensions?.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    // refused once, not charged twice: the fast path handed its decision to Apollo
    expect(await fastPath(limited, 'handed_on')).toBe(1);
  });

  it('are skipped for what only Apollo answers: a cost report, another accept type, a batch', async () => {
    await graphql(url, query);
    const before = await fastPath(url, 'hit');
    const costed = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fabline-cost': 'true' },
      body: JSON.stringify({ query }),
    });
    expect(((await costed.json()) as { extensions?: { cost?: unknown } }).extensions?.cost).toBeDefined();
    const graphqlResponse = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
      body: JSON.stringify({ query }),
    });
    expect(graphqlResponse.headers.get('content-type')).toContain('application/graphql-response+json');
    expect(await fastPath(url, 'hit')).toBe(before);
  });
});
