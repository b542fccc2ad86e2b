import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// One order's whole life through the gateway URL only, against real PostgreSQL, Redis and RabbitMQ.
let stack: Stack;
let url: string;
const demo = { password: 'fabline-demo-2026' };

const logIn = async (email: string, password = demo.password) =>
  (await gql<{ logIn: { token: string } }>(url, 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: password }))
    .logIn.token;

const UPLOAD = 'mutation($file: Upload!) { uploadModel(file: $file) { id filename sizeBytes sha256 format } }';
const QUOTE = `mutation($input: QuoteInput!) { requestQuote(input: $input) {
  id status cached needsReview price { amount currency } analysis { volumeCm3 surfaceAreaCm2 triangleCount watertight geometryHash } } }`;
const ORDER = `query($id: ID!) { order(id: $id) {
  id status customer { id name } total { amount currency }
  items { quantity material price { amount } quote { id price { amount } } model { filename } }
  review { decision reviewer { name } } production { stage }
  statusHistory { previousStatus status at } } }`;

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '10000' } });
  url = stack.urls.gateway;
});
afterAll(async () => {
  await stack?.stop();
});

describe('an order from upload to shipped', () => {
  it('goes through every stage and shows fields from all three subgraphs', async () => {
    const email = `customer-${Date.now()}@example.com`;
    const signUp = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { id role } } }', {
      input: { email, password: 'correct horse battery', name: 'Carla Customer' },
    });
    expect(signUp.signUp.viewer.role).toBe('CUSTOMER');
    const customer = { token: signUp.signUp.token as string };
    const customerId = signUp.signUp.viewer.id as string;

    // a 20 mm cube: 8 cm³
    const stl = stlCube(20);
    const uploaded = await uploadFile(url, UPLOAD, { name: 'cube-20mm.stl', bytes: stl }, customer);
    expect(uploaded.errors).toBeUndefined();
    const model = uploaded.data?.uploadModel as { id: string; sizeBytes: number; sha256: string; format: string };
    expect(model).toMatchObject({ filename: 'cube-20mm.stl', sizeBytes: stl.byteLength, format: 'STL' });
    expect(model.sha256).toMatch(/^[0-9a-f]{64}$/);

    const { requestQuote: quote } = await gql(url, QUOTE, { input: { modelId: model.id, material: 'PLA', quantity: 2 } }, customer);
    expect(quote.status).toBe('READY');
    expect(quote.analysis).toMatchObject({ volumeCm3: 8, surfaceAreaCm2: 24, triangleCount: 12, watertight: true });
    expect(quote.needsReview).toBe(false);
    // PLA: 8 cm³ × 1.24 g/cm³ = 9.92 g at 25 €/kg = 0.248 € per part; 8 cm³ at 12 cm³/h = 0.667 h at 6 €/h = 4.00 €
    // per part; two parts + 5.00 € setup = 0.496 + 8.00 + 5.00 = 13.50 €
    expect(quote.price).toEqual({ amount: '13.50', currency: 'EUR' });

    // a bigger cube costs more, in proportion to its volume
    const bigger = await uploadFile(url, UPLOAD, { name: 'cube-40mm.stl', bytes: stlCube(40) }, customer);
    const { requestQuote: biggerQuote } = await gql(url, QUOTE, { input: { modelId: bigger.data?.uploadModel.id, material: 'PLA', quantity: 2 } }, customer);
    expect(biggerQuote.analysis.volumeCm3).toBe(64);
    expect(Number(biggerQuote.price.amount)).toBeCloseTo(5 + 8 * (0.496 + 8), 1);

    const { placeOrder: placed } = await gql(
      url,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status total { amount } } }',
      {
        input: { items: [{ quoteId: quote.id }] },
      },
      customer,
    );
    expect(placed).toMatchObject({ status: 'PLACED', total: { amount: '13.50' } });

    const manager = { token: await logIn('manager@fabline.dev') };
    await eventually(async () => {
      const { ordersAwaitingReview } = await gql(url, '{ ordersAwaitingReview(first: 100) { id } }', {}, manager);
      return ordersAwaitingReview.some((o: { id: string }) => o.id === placed.id) || undefined;
    });
    const { approveOrder } = await gql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id status review { decision } } }', { id: placed.id }, manager);
    expect(approveOrder).toMatchObject({ status: 'APPROVED', review: { decision: 'APPROVED' } });

    const operator = { token: await logIn('operator@fabline.dev') };
    await eventually(async () => (await gql(url, ORDER, { id: placed.id }, operator)).order.production?.stage === 'QUEUED' || undefined);
    const expected = { PRINTING: 'IN_PRODUCTION', POST_PROCESSING: 'IN_PRODUCTION', QUALITY_CHECK: 'QUALITY_CHECK', READY: 'READY', SHIPPED: 'SHIPPED' };
    for (const [stage, status] of Object.entries(expected)) {
      const { advanceProduction } = await gql(
        url,
        'mutation($id: ID!, $stage: ProductionStage!) { advanceProduction(orderId: $id, stage: $stage) { status production { stage } } }',
        {
          id: placed.id,
          stage,
        },
        operator,
      );
      expect(advanceProduction).toEqual({ status, production: { stage } });
    }

    // shipped work left the operators' queue (hot data) but its production record is still there
    const { productionQueue } = await gql(url, '{ productionQueue(first: 200) { id } }', {}, operator);
    expect(productionQueue.map((o: { id: string }) => o.id)).not.toContain(placed.id);

    const { order } = await gql(url, ORDER, { id: placed.id }, customer);
    expect(order).toMatchObject({
      status: 'SHIPPED',
      customer: { id: customerId, name: 'Carla Customer' },
      total: { amount: '13.50', currency: 'EUR' },
      items: [
        { quantity: 2, material: 'PLA', price: { amount: '13.50' }, quote: { id: quote.id, price: { amount: '13.50' } }, model: { filename: 'cube-20mm.stl' } },
      ],
      review: { decision: 'APPROVED' },
      production: { stage: 'SHIPPED' },
    });
    expect(order.statusHistory.map((h: { status: string }) => h.status)).toEqual(['PLACED', 'APPROVED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED']);
    expect(order.statusHistory.map((h: { previousStatus: string | null }) => h.previousStatus)).toEqual([
      null,
      'PLACED',
      'APPROVED',
      'IN_PRODUCTION',
      'QUALITY_CHECK',
      'READY',
    ]);

    const { myOrders } = await gql(url, '{ myOrders(first: 10) { edges { cursor node { id status } } pageInfo { hasNextPage endCursor } } }', {}, customer);
    expect(myOrders.edges).toEqual([{ cursor: expect.any(String), node: { id: placed.id, status: 'SHIPPED' } }]);
    expect(myOrders.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a rejected order further production and tells the customer why', async () => {
    const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email: `reject-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Rita' },
    });
    const customer = { token: signUp.token as string };
    const uploaded = await uploadFile(url, UPLOAD, { name: 'c.stl', bytes: stlCube(10) }, customer);
    const { requestQuote: quote } = await gql(url, QUOTE, { input: { modelId: uploaded.data?.uploadModel.id, material: 'PETG', quantity: 1 } }, customer);
    const { placeOrder } = await gql(
      url,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
      { input: { items: [{ quoteId: quote.id }] } },
      customer,
    );
    const manager = { token: await logIn('manager@fabline.dev') };
    const rejected = await eventually(async () => {
      const result = await graphql(
        url,
        'mutation($id: ID!) { rejectOrder(id: $id, reason: "wall too thin") { status review { decision reason } } }',
        { id: placeOrder.id },
        manager,
      );
      return result.errors ? undefined : result.data;
    });
    expect(rejected).toEqual({ rejectOrder: { status: 'REJECTED', review: { decision: 'REJECTED', reason: 'wall too thin' } } });
    const again = await graphql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: placeOrder.id }, manager);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });
});

describe('a customer cancelling', () => {
  it('closes the review and keeps the order out of production', async () => {
    const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email: `cancel-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Cleo' },
    });
    const customer = { token: signUp.token as string };
    const uploaded = await uploadFile(url, UPLOAD, { name: 'c.stl', bytes: stlCube(11) }, customer);
    const { requestQuote: quote } = await gql(url, QUOTE, { input: { modelId: uploaded.data?.uploadModel.id, material: 'ABS', quantity: 1 } }, customer);
    const { placeOrder } = await gql(
      url,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
      { input: { items: [{ quoteId: quote.id }] } },
      customer,
    );
    const manager = { token: await logIn('manager@fabline.dev') };
    await eventually(async () => ((await gql(url, ORDER, { id: placeOrder.id }, manager)).order.review ? true : undefined));

    const { cancelOrder } = await gql(url, 'mutation($id: ID!) { cancelOrder(id: $id) { status } }', { id: placeOrder.id }, customer);
    expect(cancelOrder.status).toBe('CANCELLED');
    await eventually(async () => ((await gql(url, ORDER, { id: placeOrder.id }, manager)).order.review.decision === 'CANCELLED' ? true : undefined));
    const approve = await graphql(url, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: placeOrder.id }, manager);
    expect(approve.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const again = await graphql(url, 'mutation($id: ID!) { cancelOrder(id: $id) { id } }', { id: placeOrder.id }, customer);
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const { order } = await gql(url, ORDER, { id: placeOrder.id }, customer);
    expect(order).toMatchObject({ status: 'CANCELLED', production: null });
    expect(order.statusHistory.map((h: { status: string }) => h.status)).toEqual(['PLACED', 'CANCELLED']);
  });
});
