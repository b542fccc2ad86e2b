import { eventually, gql, type Stack, scrapeCounter, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// `_entities` for 50 orders must cost one round trip per subgraph per table, not 50.
let stack: Stack;
let url: string;
let customer: { token: string };

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  url = stack.urls.gateway;
  const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email: `batch-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Bea Batch' },
  });
  customer = { token: signUp.token };
  const model = await uploadFile(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name: 'b.stl', bytes: stlCube(12) }, customer);
  const { requestQuote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id } }',
    { i: { modelId: model.data?.uploadModel.id, material: 'PLA', quantity: 1 } },
    customer,
  );
  const ids: string[] = [];
  for (let i = 0; i < 50; i++) {
    const { placeOrder } = await gql(
      url,
      'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
      { i: { items: [{ quoteId: requestQuote.id }] } },
      customer,
    );
    ids.push(placeOrder.id);
  }
  const manager = { token: (await gql(url, 'mutation { logIn(email: "manager@fabline.dev", password: "fabline-demo-2026") { token } }')).logIn.token };
  await eventually(
    async () => ((await gql(url, '{ ordersAwaitingReview(first: 100) { id } }', {}, manager)).ordersAwaitingReview.length === 50 ? true : undefined),
    { timeoutMs: 30_000 },
  );
  await Promise.all(ids.map((id) => gql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id }, manager)));
}, 120_000);
afterAll(async () => {
  await stack?.stop();
});

const metricsOf = (graphqlUrl: string) => graphqlUrl.replace('/graphql', '/metrics');
const queriesBy = (graphqlUrl: string) => scrapeCounter(metricsOf(graphqlUrl), 'fabline_db_queries_total', 'table');
// the outbox relay polls on its own schedule and transactions send BEGIN/COMMIT; only the tables the query reads count here
const background = new Set(['outbox_events', 'processed_events', 'other']);
const delta = (after: Record<string, number>, before: Record<string, number>) =>
  Object.fromEntries(
    Object.entries(after)
      .filter(([table]) => !background.has(table))
      .map(([table, count]) => [table, count - (before[table] ?? 0)])
      .filter(([, count]) => (count as number) > 0),
  );

describe('entity resolution across subgraphs', () => {
  it('loads 50 orders with fields from shop, crm and mes in one query per subgraph per table', async () => {
    const query = `{ myOrders(first: 50) { edges { node {
      id status total { amount } customer { name }
      items { quantity quote { price { amount } } }
      review { decision } production { stage } } } } }`;
    await eventually(async () => {
      const { myOrders } = await gql(url, query, {}, customer);
      return myOrders.edges.every((e: { node: { production: unknown } }) => e.node.production) ? true : undefined;
    });
    const before = { shop: await queriesBy(stack.urls.shop), crm: await queriesBy(stack.urls.crm), mes: await queriesBy(stack.urls.mes) };
    const { myOrders } = await gql(url, query, {}, customer);
    const after = { shop: await queriesBy(stack.urls.shop), crm: await queriesBy(stack.urls.crm), mes: await queriesBy(stack.urls.mes) };

    expect(myOrders.edges).toHaveLength(50);
    for (const { node } of myOrders.edges) {
      expect(node).toMatchObject({ status: 'APPROVED', customer: { name: 'Bea Batch' }, review: { decision: 'APPROVED' }, production: { stage: 'QUEUED' } });
      expect(node.items[0].quote.price.amount).toBe(node.total.amount);
    }
    // shop: the page of orders, then all their items; crm: the reviews and the customer; mes: production rows and quotes
    expect(delta(after.shop, before.shop)).toEqual({ orders: 1, order_items: 1 });
    expect(delta(after.crm, before.crm)).toEqual({ reviews: 1, accounts: 1 });
    expect(delta(after.mes, before.mes)).toEqual({ production_orders: 1, quotes: 1 });
  });
});
