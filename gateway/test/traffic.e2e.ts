import { createHash } from 'node:crypto';
import { graphql, metricsUrlOf, type Stack, scrapeCounter, startStack, tcpProxy } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Traffic control through real gateways: cost budgets, rate limits shared in Redis, persisted
// queries, the partner contract, operation limits, and Redis going away.
let stack: Stack;
const PARTNER = 'fbl_demo_partner_0001';
const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const metricsOf = metricsUrlOf;
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A raw POST, for bodies the `graphql` helper does not send (persisted queries, batches). */
async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

/** GraphQL requests each subgraph has served so far. */
async function subgraphRequests() {
  const counts = await Promise.all(
    (['shop', 'crm', 'mes'] as const).map(
      async (name) => (await scrapeCounter(metricsOf(stack.urls[name]), 'fabline_http_request_duration_seconds_count', 'route'))['/graphql'] ?? 0,
    ),
  );
  return counts.reduce((a, b) => a + b, 0);
}

const MATERIALS = '{ materials { code name pricePerKg { amount } } }'; // 10 × (1 + 1) = 20

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', COST_BUDGETS: '{"default":1000,"ANONYMOUS":15}', LOGIN_LIMIT_PER_MINUTE: '3' } });
});
afterAll(async () => {
  await stack?.stop();
});

describe('demand control', () => {
  it('refuses an over-budget operation before any subgraph is called, naming estimate and limit', async () => {
    const before = await subgraphRequests();
    const result = await graphql(stack.urls.gateway, MATERIALS);
    expect(result.status).toBe(400);
    expect(codeOf(result)).toBe('COST_ESTIMATED_TOO_EXPENSIVE');
    expect(result.errors?.[0]?.message).toMatch(/estimated cost is 20, over the limit of 15/);
    expect(await subgraphRequests()).toBe(before);
  });

  it('in measure mode lets it through, records it and reports the cost on request', async () => {
    const { url } = await stack.spawnExtra('gateway', { COST_MODE: 'measure' });
    const result = await graphql(url, MATERIALS, {}, { headers: { 'x-fabline-cost': 'true' } });
    expect(result.errors).toBeUndefined();
    const materials = (result.data as { materials: unknown[] }).materials;
    expect(result as unknown).toMatchObject({ extensions: { cost: { estimated: 20, actual: materials.length * 2, limit: 15, mode: 'measure' } } });
    const text = await (await fetch(metricsOf(url))).text();
    expect(text).toMatch(/fabline_gateway_cost_estimated_count\{[^}]*result="COST_ESTIMATED_TOO_EXPENSIVE"[^}]*\} 1/);
  });
});

describe('rate limits', () => {
  it('share one window across two gateways, with RateLimit headers, then 429 and Retry-After', async () => {
    const env = { NAMESPACE: `${stack.namespace}_rl`, RATE_LIMIT_REQUESTS: '{"default":4}' };
    const [a, b] = await Promise.all([stack.spawnExtra('gateway', env), stack.spawnExtra('gateway', env)]);
    const remaining: string[] = [];
    for (const url of [a.url, b.url, a.url, b.url]) {
      const result = await graphql(url, '{ __typename }');
      expect(result.status).toBe(200);
      expect(result.headers.get('ratelimit-limit')).toBe('4');
      remaining.push(result.headers.get('ratelimit-remaining') ?? '');
    }
    expect(remaining).toEqual(['3', '2', '1', '0']);
    const refused = await graphql(a.url, '{ __typename }');
    expect(refused.status).toBe(429);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('keep serving when Redis goes away (fail open), counting the fault', async () => {
    const proxy = await tcpProxy(6379);
    const { url } = await stack.spawnExtra('gateway', { REDIS_URL: `redis://127.0.0.1:${proxy.port}` });
    expect((await graphql(url, '{ __typename }')).headers.get('ratelimit-limit')).not.toBeNull();
    proxy.cut();
    for (let i = 0; i < 3; i++) {
      const result = await graphql(url, '{ materials { code } }');
      expect(result.status).toBe(200);
      expect(result.errors).toBeUndefined();
    }
    const faults = await scrapeCounter(metricsOf(url), 'fabline_gateway_redis_faults_total', 'feature');
    expect(faults.rate_limit).toBeGreaterThan(0);
    await proxy.close();
  });
});

describe('field-level limits in subgraphs', () => {
  it('limit logIn per client IP, which the gateway passes in its signed token', async () => {
    const { url } = await stack.spawnExtra('gateway', { COST_BUDGETS: '{"default":1000}' });
    const attempt = () => graphql(url, 'mutation { logIn(email: "nobody@example.com", password: "wrong-password") { token } }');
    for (let i = 0; i < 3; i++) expect(codeOf(await attempt())).toBe('UNAUTHENTICATED');
    const limited = await attempt();
    expect(codeOf(limited)).toBe('RATE_LIMITED');
    expect(limited.errors?.[0]?.message).toMatch(/Too many logIn calls: at most 3 per 60 s from one address/);
  });

  it('count logIn per address a trusted proxy forwards (the web apps), and ignore X-Forwarded-For from anyone else', async () => {
    const logIn = (url: string, forwardedFor: string) =>
      graphql(
        url,
        'mutation { logIn(email: "nobody@example.com", password: "wrong-password") { token } }',
        {},
        { headers: { 'x-forwarded-for': forwardedFor } },
      );
    // outside production the loopback peers (the apps' servers) are trusted: each browser has its own budget
    const { url: trusting } = await stack.spawnExtra('gateway', { COST_BUDGETS: '{"default":1000}' });
    for (let i = 0; i < 3; i++) expect(codeOf(await logIn(trusting, '203.0.113.7'))).toBe('UNAUTHENTICATED');
    expect(codeOf(await logIn(trusting, '203.0.113.7'))).toBe('RATE_LIMITED');
    expect(codeOf(await logIn(trusting, '203.0.113.8'))).toBe('UNAUTHENTICATED');
    // a client's own header, two hops in, names nobody: the trusted proxy's entry (the right one) counts
    expect(codeOf(await logIn(trusting, '198.51.100.1, 203.0.113.7'))).toBe('RATE_LIMITED');
    // trusting no one here, a header cannot buy fresh budgets: four "addresses" share the socket's
    const { url: untrusting } = await stack.spawnExtra('gateway', { COST_BUDGETS: '{"default":1000}', TRUST_PROXY: '10.0.0.1' });
    const codes = [];
    for (const address of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']) codes.push(codeOf(await logIn(untrusting, address)));
    expect(codes.at(-1)).toBe('RATE_LIMITED');
  });
});

describe('persisted queries', () => {
  it('register and replay an automatic persisted query through Redis, on any replica', async () => {
    const query = `{ materials { code } } # ${Date.now()}`;
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
    const miss = await post(stack.urls.gateway, { extensions });
    expect(miss.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post(stack.urls.gateway, { query, extensions })).body.data.materials.length).toBeGreaterThan(0);
    const { url } = await stack.spawnExtra('gateway');
    expect((await post(url, { extensions })).body.data.materials.length).toBeGreaterThan(0);
  });

  it('accepts only manifest operations from first-party clients when enforced; partners may send any', async () => {
    const { url } = await stack.spawnExtra('gateway', { PERSISTED_QUERIES_ONLY: 'on', COST_BUDGETS: '{"default":1000}' });
    const manifest = (await import('../../schema/persisted-query-manifest.json', { with: { type: 'json' } })).default;
    const materials = manifest.operations.find((o: { name: string }) => o.name === 'Materials') as { id: string };
    const listed = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: materials.id } } });
    expect(listed.body.data.materials.length).toBeGreaterThan(0);
    const freeform = await graphql(url, '{ materials { code } }');
    expect(freeform.status).toBe(403);
    expect(codeOf(freeform)).toBe('PERSISTED_QUERY_NOT_IN_LIST');
    const unknown = await post(url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256('nope') } } });
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    const partner = await graphql(url, '{ materials { code } }', {}, { apiKey: PARTNER });
    expect(partner.errors).toBeUndefined();
  });
});

describe('the partner contract', () => {
  it('makes a non-public field an unknown field for a partner key', async () => {
    const partner = await graphql(stack.urls.gateway, '{ person(id: "x") { id } }', {}, { apiKey: PARTNER });
    expect(partner.status).toBe(400);
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(partner.errors?.[0]?.message).toMatch(/Cannot query field "person" on type "Query"/);
    const internal = await graphql(stack.urls.gateway, '{ order(id: "x") { review { decision } } }', {}, { apiKey: PARTNER });
    expect(codeOf(internal)).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it("phrases a partner's validation errors by the contract alone: no field suggested that the contract lacks", async () => {
    const suggestsPrivate = [
      ['{ deadLetter(queue: "orders") { id } }', 'deadLetters'],
      ['mutation { approveOrdr(id: "x") { id } }', 'approveOrder'],
      ['{ quote(id: "x") { id breakdwn { setup { amount } } } }', 'breakdown'],
    ] as const;
    for (const [query, hidden] of suggestsPrivate) {
      // outside production, an anonymous client is told what it may have meant
      const anonymous = await graphql(stack.urls.gateway, query);
      expect(anonymous.errors?.[0]?.message).toContain(`Did you mean "${hidden}"?`);
      const partner = await graphql(stack.urls.gateway, query, {}, { apiKey: PARTNER });
      expect(partner.status).toBe(400);
      expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
      expect(JSON.stringify(partner.errors)).not.toContain(hidden);
    }
  });

  it('suggests no field names to anonymous clients in production', async () => {
    const { url } = await stack.spawnExtra('gateway', {
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-jwt-secret-for-this-test-only-0123456789',
      INTERNAL_SECRET: 'a-production-internal-secret-for-this-test-0123456789',
      COST_BUDGETS: '{"default":1000}',
    });
    const anonymous = await graphql(url, '{ materialz { code } }');
    expect(anonymous.status).toBe(400);
    expect(codeOf(anonymous)).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(anonymous.errors?.[0]?.message).toBe('Cannot query field "materialz" on type "Query".');
  });

  it('shows a partner only the contract in introspection', async () => {
    const query = '{ __schema { queryType { fields { name } } } person: __type(name: "Person") { name } }';
    const partner = await graphql<any>(stack.urls.gateway, query, {}, { apiKey: PARTNER });
    const names = partner.data.__schema.queryType.fields.map((f: { name: string }) => f.name);
    expect(names).toContain('materials');
    expect(names).not.toContain('person');
    expect(partner.data.person).toBeNull();
    const { url } = await stack.spawnExtra('gateway', { COST_BUDGETS: '{"default":1000}' });
    const anonymous = await graphql<any>(url, query);
    expect(anonymous.data.__schema.queryType.fields.map((f: { name: string }) => f.name)).toContain('person');
  });

  it('turns introspection off for anonymous clients in production mode, CSRF prevention still on', async () => {
    const { url } = await stack.spawnExtra('gateway', { INTROSPECTION: 'authenticated', COST_BUDGETS: '{"default":1000}' });
    const anonymous = await graphql(url, '{ __schema { queryType { name } } }');
    expect(anonymous.status).toBe(403);
    expect(codeOf(anonymous)).toBe('INTROSPECTION_DISABLED');
    expect((await graphql(url, '{ __schema { queryType { name } } }', {}, { apiKey: PARTNER })).errors).toBeUndefined();
    const csrf = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(csrf.status).toBe(400);
  });
});

describe('operation limits', () => {
  it('refuse too deep operations and oversized batches with clear codes', async () => {
    const { url } = await stack.spawnExtra('gateway', { MAX_DEPTH: '3', MAX_BATCH: '2', MAX_TOKENS: '40', COST_BUDGETS: '{"default":100000}' });
    const tooLong = await graphql(url, `{ ${Array.from({ length: 30 }, (_, i) => `a${i}: __typename`).join(' ')} }`);
    expect(codeOf(tooLong)).toBe('MAX_TOKENS_LIMIT');
    expect(tooLong.errors?.[0]?.message).toMatch(/more than 40 tokens/);
    // a request that never parses still draws from the caller's request budget
    expect(tooLong.headers.get('ratelimit-remaining')).toMatch(/^\d+$/);
    const tooDeep = await graphql(url, '{ myOrders { edges { node { id } } } }');
    expect(codeOf(tooDeep)).toBe('MAX_DEPTH_LIMIT');
    expect(tooDeep.errors?.[0]?.message).toMatch(/nested 4 levels deep; at most 3/);
    expect(Number(tooDeep.headers.get('ratelimit-remaining'))).toBeLessThan(Number(tooLong.headers.get('ratelimit-remaining')));
    const batch = await post(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(batch.status).toBe(400);
    expect(batch.body.errors[0].extensions.code).toBe('BATCH_LIMIT');
    const ok = await post(url, [{ query: '{ __typename }' }, { query: '{ __typename }' }]);
    expect(ok.body).toHaveLength(2);
  });
});
