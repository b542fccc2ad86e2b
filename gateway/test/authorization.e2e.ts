import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { signInternalToken } from '@fabline/shared/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Who may do what, checked through the gateway, and subgraphs refusing anything that did not come from it.
let stack: Stack;
let url: string;
const tokens: Record<'alice' | 'bob' | 'manager' | 'operator', string> = { alice: '', bob: '', manager: '', operator: '' };
let aliceOrder = '';

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
  const { requestQuote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id status } }',
    { i: { modelId: model.data?.uploadModel.id, material: 'ABS', quantity: 1 } },
    { token: tokens.alice },
  );
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

  it("keeps one customer's order from another", async () => {
    const mine = await graphql(url, 'query($id: ID!) { order(id: $id) { id status } }', { id: aliceOrder }, { token: tokens.alice });
    expect(mine.data).toEqual({ order: { id: aliceOrder, status: 'PLACED' } });
    const theirs = await graphql(url, 'query($id: ID!) { order(id: $id) { id status review { decision } } }', { id: aliceOrder }, { token: tokens.bob });
    expect(theirs.data?.order ?? null).toBeNull();
    expect(codeOf(theirs)).toBe('FORBIDDEN');
    const list = await gql(url, '{ myOrders { edges { node { id } } } }', {}, { token: tokens.bob });
    expect(list.myOrders.edges).toEqual([]);
    const cancel = await graphql(url, 'mutation($id: ID!) { cancelOrder(id: $id) { id } }', { id: aliceOrder }, { token: tokens.bob });
    expect(codeOf(cancel)).toBe('FORBIDDEN');
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
});
