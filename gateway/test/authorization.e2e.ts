import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { signInternalToken } from '@fabline/shared/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Who may do what, checked through the gateway, and subgraphs refusing anything that did not come from it.
let stack: Stack;
let url: string;
const tokens: Record<'alice' | 'bob' | 'manager' | 'operator', string> = { alice: '', bob: '', manager: '', operator: '' };
let aliceOrder = '';
let aliceModel = '';
let aliceQuote = '';

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const signUp = async (name: string) =>
  (
    await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email: `${name}-${Date.now()}@example.com`, password: 'correct horse battery', name },
    })
  ).signUp.token as string;
const logIn = async (email: string) =>
  (await gql(url, 'mutation($e: String!) { logIn(email: $e, password: "fabline-demo-2026") { token } }', { e: email })).logIn.token as string;

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  url = stack.urls.gateway;
  tokens.alice = await signUp('alice');
  tokens.bob = await signUp('bob');
  tokens.manager = await logIn('manager@fabline.dev');
  tokens.operator = await logIn('operator@fabline.dev');
  const model = await uploadFile(
    url,
    'mutation($file: Upload!) { uploadModel(file: $file) { id } }',
    { name: 'a.stl', bytes: stlCube(15) },
    { token: tokens.alice },
  );
  aliceModel = model.data?.uploadModel.id;
  const { requestQuote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id status } }',
    { i: { modelId: aliceModel, material: 'ABS', quantity: 1 } },
    { token: tokens.alice },
  );
  aliceQuote = requestQuote.id;
  const { placeOrder } = await gql(
    url,
    'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
    { i: { items: [{ quoteId: requestQuote.id }] } },
    { token: tokens.alice },
  );
  aliceOrder = placeOrder.id;
  await eventually(async () =>
    (await gql(url, '{ ordersAwaitingReview(first: 100) { id } }', {}, { token: tokens.manager })).ordersAwaitingReview.length ? true : undefined,
  );
});
afterAll(async () => {
  await stack?.stop();
});

describe('authorization', () => {
  it('answers UNAUTHENTICATED without a token, and 401 for a bad one', async () => {
    const anonymous = await graphql(url, '{ myOrders { edges { cursor } } }');
    expect(codeOf(anonymous)).toBe('UNAUTHENTICATED');
    const forged = await graphql(url, '{ viewer { id } }', {}, { token: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4Iiwicm9sZSI6IkFETUlOIn0.' });
    expect(forged.status).toBe(401);
    expect(codeOf(forged)).toBe('UNAUTHENTICATED');
    const badKey = await graphql(url, '{ viewer { id } }', {}, { apiKey: 'fbl_not_a_key' });
    expect(badKey.status).toBe(401);
    expect(codeOf(badKey)).toBe('UNAUTHENTICATED');
  });

  it("answers another customer's order, model, quote and account exactly as one that does not exist: NOT_FOUND", async () => {
    const mine = await graphql(url, 'query($id: ID!) { order(id: $id) { id status } }', { id: aliceOrder }, { token: tokens.alice });
    expect(mine.data).toEqual({ order: { id: aliceOrder, status: 'PLACED' } });
    const list = await gql(url, '{ myOrders { edges { node { id } } } }', {}, { token: tokens.bob });
    expect(list.myOrders.edges).toEqual([]);
    const reads = [
      ['order', 'query($id: ID!) { order(id: $id) { id status review { decision } } }', aliceOrder],
      ['model', 'query($id: ID!) { model(id: $id) { id filename } }', aliceModel],
      ['quote', 'query($id: ID!) { quote(id: $id) { id status } }', aliceQuote],
      ['person', 'query($id: ID!) { person(id: $id) { id name } }', (await gql(url, '{ viewer { id } }', {}, { token: tokens.alice })).viewer.id],
    ] as const;
    for (const [field, query, id] of reads) {
      const theirs = await graphql(url, query, { id }, { token: tokens.bob });
      const unknown = await graphql(url, query, { id: randomUUID() }, { token: tokens.bob });
      for (const answer of [theirs, unknown]) {
        expect(answer.data?.[field] ?? null, field).toBeNull();
        expect(codeOf(answer), field).toBe('NOT_FOUND');
      }
      expect(theirs.errors?.[0]?.message.replace(id as string, '<id>'), field).toBe(unknown.errors?.[0]?.message.replace(/[0-9a-f-]{36}/, '<id>'));
    }
    const CANCEL = 'mutation($id: ID!) { cancelOrder(id: $id) { id } }';
    const cancel = await graphql(url, CANCEL, { id: aliceOrder }, { token: tokens.bob });
    const cancelUnknown = await graphql(url, CANCEL, { id: randomUUID() }, { token: tokens.bob });
    expect([codeOf(cancel), codeOf(cancelUnknown)]).toEqual(['NOT_FOUND', 'NOT_FOUND']);
  });

  it('names the kind of id each argument expects', async () => {
    const cases = [
      ['query { model(id: "bad") { id } }', /"bad" is not a model id/],
      ['query { order(id: "bad") { id } }', /"bad" is not an order id/],
      ['query { quote(id: "bad") { id } }', /"bad" is not a quote id/],
    ] as const;
    for (const [query, message] of cases) {
      const answer = await graphql(url, query, {}, { token: tokens.alice });
      expect(codeOf(answer)).toBe('BAD_USER_INPUT');
      expect(answer.errors?.[0]?.message).toMatch(message);
    }
  });

  it('lets only a manager approve and only an operator advance production', async () => {
    for (const who of ['alice', 'operator'] as const) {
      const result = await graphql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: aliceOrder }, { token: tokens[who] });
      expect(codeOf(result)).toBe('FORBIDDEN');
    }
    const approved = await gql(url, 'mutation($id: ID!) { approveOrder(id: $id) { status } }', { id: aliceOrder }, { token: tokens.manager });
    expect(approved.approveOrder.status).toBe('APPROVED');
    await eventually(async () =>
      (await gql(url, 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: aliceOrder }, { token: tokens.operator })).order.production
        ? true
        : undefined,
    );
    for (const who of ['alice', 'manager'] as const) {
      const result = await graphql(
        url,
        'mutation($id: ID!) { advanceProduction(orderId: $id, stage: PRINTING) { id } }',
        { id: aliceOrder },
        { token: tokens[who] },
      );
      expect(codeOf(result)).toBe('FORBIDDEN');
    }
    const skipped = await graphql(
      url,
      'mutation($id: ID!) { advanceProduction(orderId: $id, stage: READY) { id } }',
      { id: aliceOrder },
      { token: tokens.operator },
    );
    expect(codeOf(skipped)).toBe('BAD_USER_INPUT');
    expect(skipped.errors?.[0]?.message).toMatch(/next stage is PRINTING/);
    const advanced = await gql(
      url,
      'mutation($id: ID!) { advanceProduction(orderId: $id, stage: PRINTING) { status } }',
      { id: aliceOrder },
      { token: tokens.operator },
    );
    expect(advanced.advanceProduction.status).toBe('IN_PRODUCTION');
  });

  it('refuses requests sent straight to a subgraph without the gateway signature', async () => {
    const query = JSON.stringify({ query: '{ myOrders { edges { node { id } } } }' });
    const plain = await fetch(stack.urls.shop, { method: 'POST', headers: { 'content-type': 'application/json' }, body: query });
    expect(plain.status).toBe(401);
    const forged = await fetch(stack.urls.shop, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fabline-internal': await signInternalToken({ viewer: { id: 'x', role: 'ADMIN' } }, 'a-guessed-secret-of-enough-length'),
      },
      body: query,
    });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    // a user token is not a gateway signature either
    const userToken = await fetch(stack.urls.crm, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-fabline-internal': tokens.manager },
      body: JSON.stringify({ query: '{ viewer { id } }' }),
    });
    expect(userToken.status).toBe(401);
  });

  it('gives a partner API key the PARTNER role', async () => {
    const { viewer } = await gql(url, '{ viewer { role name } }', {}, { apiKey: 'fbl_demo_partner_0001' });
    expect(viewer).toEqual({ role: 'PARTNER', name: 'Demo Partner GmbH' });
  });

  it('refuses a request that carries both a Bearer token and an API key, and charges a user one budget', async () => {
    const SPEND = '{ materials { code } }';
    const before = await graphql(url, SPEND, {}, { token: tokens.alice });
    expect(before.status).toBe(200);
    for (const apiKey of ['fbl_junk_key_1', 'fbl_demo_partner_0001']) {
      const both = await graphql(url, SPEND, {}, { token: tokens.alice, apiKey });
      expect(both.status).toBe(400);
      expect(codeOf(both)).toBe('BAD_REQUEST');
      expect(both.errors?.[0]?.message).toMatch(/either .*Authorization.* or .*X-Api-Key.*, not both/i);
    }
    const after = await graphql(url, SPEND, {}, { token: tokens.alice });
    expect(Number(after.headers.get('ratelimit-remaining'))).toBeLessThan(Number(before.headers.get('ratelimit-remaining')));
  });
});

/** A POST to the gateway from a loopback address of its own: per-address limits count each test apart. */
function postFrom(
  localAddress: string,
  body: unknown,
): Promise<{ status: number; retryAfter?: string; answers: { errors?: { extensions?: { code?: string } }[] }[] }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', localAddress, headers: { 'content-type': 'application/json' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const parsed = JSON.parse(Buffer.concat(chunks).toString());
        const retryAfter = res.headers['retry-after'];
        resolve({
          status: res.statusCode ?? 0,
          retryAfter: typeof retryAfter === 'string' ? retryAfter : undefined,
          answers: Array.isArray(parsed) ? parsed : [parsed],
        });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the logIn limit (30 a minute from one address)', () => {
  const wrongLogIn = (i: number) => ({
    query: 'mutation($p: String!) { logIn(email: "manager@fabline.dev", password: $p) { token } }',
    variables: { p: `wrong-${i}` },
  });
  const count = (results: Awaited<ReturnType<typeof postFrom>>[], code: string) =>
    results.flatMap((r) => r.answers).filter((a) => a.errors?.[0]?.extensions?.code === code).length;

  it('checks exactly 30 of 60 concurrent wrong passwords and refuses the rest with 429 and Retry-After', async () => {
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => postFrom('127.0.0.2', wrongLogIn(i))));
    expect(count(results, 'UNAUTHENTICATED')).toBe(30);
    expect(count(results, 'RATE_LIMITED')).toBe(30);
    for (const result of results) {
      const refused = result.answers[0]?.errors?.[0]?.extensions?.code === 'RATE_LIMITED';
      expect(result.status).toBe(refused ? 429 : 200);
      if (refused) expect(Number(result.retryAfter)).toBeGreaterThanOrEqual(1);
    }
  });

  it('holds for batched requests too: 6 POSTs of 10', async () => {
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, b) =>
        postFrom(
          '127.0.0.3',
          Array.from({ length: 10 }, (_, i) => wrongLogIn(b * 10 + i)),
        ),
      ),
    );
    expect(count(results, 'UNAUTHENTICATED')).toBe(30);
    expect(count(results, 'RATE_LIMITED')).toBe(30);
    for (const result of results.filter((r) => r.answers.some((a) => a.errors?.[0]?.extensions?.code === 'RATE_LIMITED'))) {
      expect(result.status).toBe(429);
      expect(Number(result.retryAfter)).toBeGreaterThanOrEqual(1);
    }
  });
});
