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
    // PLA, shell + infill (pricing v2): walls 24 cm² × 0.12 cm = 2.88 cm³, infill (8 − 2.88) × 20 % = 1.024 cm³,
    // printed 3.904 cm³ × 1.24 g/cm³ = 4.841 g at 25 €/kg = 0.121 € per part → 0.24 € for two;
    // time 3.904 / 12 cm³/h = 1171.2 s + 100 layers × 2 s = 1371.2 s per part at 6 €/h = 2.2853 € → 4.57 € for two;
    // + 5.00 € setup = 0.24 + 4.57 + 5.00 = 9.81 €
    expect(quote.price).toEqual({ amount: '9.81', currency: 'EUR' });

    // a bigger cube costs more: walls 96 × 0.12 = 11.52 cm³, infill 52.48 × 20 % = 10.496 cm³, printed 22.016 cm³
    // (27.30 g → 0.6825 € per part), time 22.016 / 12 h = 6604.8 s + 200 layers × 2 s = 7004.8 s (11.6747 € per part)
    const bigger = await uploadFile(url, UPLOAD, { name: 'cube-40mm.stl', bytes: stlCube(40) }, customer);
    const { requestQuote: biggerQuote } = await gql(url, QUOTE, { input: { modelId: bigger.data?.uploadModel.id, material: 'PLA', quantity: 2 } }, customer);
    expect(biggerQuote.analysis.volumeCm3).toBe(64);
    expect(Number(biggerQuote.price.amount)).toBeCloseTo(5 + 2 * (0.6825 + 11.6747), 1); // 29.71

    const { placeOrder: placed } = await gql(
      url,
      'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id status total { amount } } }',
      {
        input: { items: [{ quoteId: quote.id }] },
      },
      customer,
    );
    expect(placed).toMatchObject({ status: 'PLACED', total: { amount: '9.81' } });

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
    const { productionQueue } = await gql(url, '{ productionQueue(first: 200) { edges { node { id } } } }', {}, operator);
    expect(productionQueue.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(placed.id);

    const { order } = await gql(url, ORDER, { id: placed.id }, customer);
    expect(order).toMatchObject({
      status: 'SHIPPED',
      customer: { id: customerId, name: 'Carla Customer' },
      total: { amount: '9.81', currency: 'EUR' },
      items: [
        { quantity: 2, material: 'PLA', price: { amount: '9.81' }, quote: { id: quote.id, price: { amount: '9.81' } }, model: { filename: 'cube-20mm.stl' } },
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
