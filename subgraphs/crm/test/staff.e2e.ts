import { randomBytes } from 'node:crypto';
import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { signInternalToken } from '@fabline/shared/auth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The CRM's staff side through the gateway: the staff-wide order list (shop), the customer search
// (crm) with each customer's orders, partner API keys for admins, and two managers deciding at once.
let stack: Stack;
let url: string;
const PARTNER = { apiKey: 'fbl_demo_partner_0001' };
const INTERNAL_SECRET = randomBytes(32).toString('base64url');
const tag = randomBytes(3).toString('hex');
const staff = { manager: { token: '' }, admin: { token: '' }, operator: { token: '' } };
const people = { zoe: { token: '', id: '', email: '' }, yuri: { token: '', id: '', email: '' } };
/** Zoe's orders, oldest first: a watertight cube, then an open mesh (needs review), then one more cube. */
const zoeOrders: string[] = [];
let yuriOrder = '';

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const logIn = async (email: string) =>
  (await gql(url, 'mutation($e: String!) { logIn(email: $e, password: "fabline-demo-2026") { token } }', { e: email })).logIn.token as string;
const signUp = async (name: string, email: string) => {
  const { signUp } = await gql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { token viewer { id } } }', {
    i: { email, password: 'correct horse battery', name },
  });
  return { token: signUp.token as string, id: signUp.viewer.id as string, email };
};
async function order(customer: { token: string }, name: string, bytes: Uint8Array) {
  const uploaded = await uploadFile(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name, bytes }, customer);
  const { requestQuote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id status } }',
    { i: { modelId: uploaded.data?.uploadModel.id, material: 'PLA', quantity: 1 } },
    customer,
  );
  expect(requestQuote.status).toBe('READY');
  const { placeOrder } = await gql(
    url,
    'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
    { i: { items: [{ quoteId: requestQuote.id }] } },
    customer,
  );
  return placeOrder.id as string;
}
/** A binary STL cube with its last triangle left out: a hole, so not watertight. */
function openBox(sizeMm: number) {
  const closed = stlCube(sizeMm);
  const open = closed.slice(0, closed.byteLength - 50);
  new DataView(open.buffer).setUint32(80, 11, true);
  return open;
}
const awaitingReview = async () =>
  new Set<string>((await gql(url, '{ ordersAwaitingReview(first: 100) { id } }', {}, staff.manager)).ordersAwaitingReview.map((o: { id: string }) => o.id));

beforeAll(async () => {
  // a short key cache, so that a revoked key's refusal at a gateway that remembered it is seen in the test
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '15000', API_KEY_CACHE_MS: '2000', INTERNAL_SECRET } });
  url = stack.urls.gateway;
  staff.manager.token = await logIn('manager@fabline.dev');
  staff.admin.token = await logIn('admin@fabline.dev');
  staff.operator.token = await logIn('operator@fabline.dev');
  people.zoe = await signUp(`Zoë Quartermain ${tag}`, `zoe.q-${tag}@example.com`);
  people.yuri = await signUp(`Yuri Bakker ${tag}`, `y.bakker-${tag}@example.org`);
  // a cube with one face missing is not watertight: its order needs a manager's check
  const open = openBox(12);
  zoeOrders.push(await order(people.zoe, 'a.stl', stlCube(12)));
  zoeOrders.push(await order(people.zoe, 'open.stl', open));
  zoeOrders.push(await order(people.zoe, 'c.stl', stlCube(13)));
  yuriOrder = await order(people.yuri, 'y.stl', stlCube(14));
  await eventually(async () => {
    const waiting = await awaitingReview();
    return [...zoeOrders, yuriOrder].every((id) => waiting.has(id)) ? true : undefined;
  });
});
afterAll(async () => {
  await stack?.stop();
});

const ORDERS = `query($first: Int, $after: String, $status: [OrderStatus!], $needsReview: Boolean, $sort: OrderSort) {
  orders(first: $first, after: $after, status: $status, needsReview: $needsReview, sort: $sort) {
    totalCount edges { cursor node { id status customer { id name } } } pageInfo { hasNextPage endCursor } } }`;
type OrderPage = {
  orders: {
    totalCount: number;
    edges: { cursor: string; node: { id: string; status: string; customer: { id: string; name: string } } }[];
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};
const ids = (page: OrderPage) => page.orders.edges.map((e) => e.node.id);

describe('the staff-wide order list', () => {
  it('pages through every customer’s orders newest first, with the customer from crm', async () => {
    const all = [...zoeOrders, yuriOrder];
    const first = await gql<OrderPage>(url, ORDERS, { first: 3 }, staff.manager);
    expect(first.orders.totalCount).toBe(4);
    expect(ids(first)).toEqual([yuriOrder, zoeOrders[2], zoeOrders[1]]);
    expect(first.orders.edges[0]?.node.customer).toEqual({ id: people.yuri.id, name: `Yuri Bakker ${tag}` });
    expect(first.orders.pageInfo.hasNextPage).toBe(true);
    const rest = await gql<OrderPage>(url, ORDERS, { first: 3, after: first.orders.pageInfo.endCursor }, staff.admin);
    expect(ids(rest)).toEqual([zoeOrders[0]]);
    expect(rest.orders.pageInfo).toEqual({ hasNextPage: false, endCursor: rest.orders.edges[0]?.cursor });
    const oldest = await gql<OrderPage>(url, ORDERS, { first: 10, sort: 'OLDEST_FIRST' }, staff.manager);
    expect(ids(oldest)).toEqual(all);
  });

  it('filters by status and by whether a model needs review', async () => {
    const review = await gql<OrderPage>(url, ORDERS, { first: 10, needsReview: true }, staff.manager);
    expect(ids(review)).toEqual([zoeOrders[1]]);
    expect(review.orders.totalCount).toBe(1);
    const fine = await gql<OrderPage>(url, ORDERS, { first: 10, needsReview: false, status: 'PLACED' }, staff.manager);
    expect(ids(fine)).toEqual([yuriOrder, zoeOrders[2], zoeOrders[0]]);
    const shipped = await gql<OrderPage>(url, ORDERS, { first: 10, status: ['SHIPPED', 'REJECTED'] }, staff.manager);
    expect(shipped.orders).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('refuses customers, operators and partners, and the anonymous', async () => {
    for (const who of [people.zoe, staff.operator]) {
      const refused = await graphql(url, ORDERS, { first: 5 }, who);
      expect(codeOf(refused)).toBe('FORBIDDEN');
      expect(refused.data).toBeNull();
    }
    expect(codeOf(await graphql(url, ORDERS, { first: 5 }))).toBe('UNAUTHENTICATED');
    // a partner sees the public contract, where the staff list does not exist
    const partner = await graphql(url, '{ orders(first: 5) { totalCount } }', {}, PARTNER);
    expect(partner.status).toBe(400);
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
    const bad = await graphql(url, ORDERS, { first: 5, after: 'not-a-cursor' }, staff.manager);
    expect(codeOf(bad)).toBe('BAD_USER_INPUT');
    expect(codeOf(await graphql(url, ORDERS, { first: 1000 }, staff.manager))).toBe('BAD_USER_INPUT');
  });
});

const CUSTOMERS = `query($first: Int, $after: String, $search: String) { customers(first: $first, after: $after, search: $search) {
  totalCount edges { cursor node { id name email role orders(first: 10) { edges { node { id status } } } } } pageInfo { hasNextPage endCursor } } }`;

describe('the customer search', () => {
  it('finds customers by a part of their name or email in any case, with their orders', async () => {
    const byEmail = await gql(url, CUSTOMERS, { first: 10, search: `Y.BAKKER-${tag.toUpperCase()}` }, staff.manager);
    expect(byEmail.customers.totalCount).toBe(1);
    expect(byEmail.customers.edges[0].node).toEqual({
      id: people.yuri.id,
      name: `Yuri Bakker ${tag}`,
      email: people.yuri.email,
      role: 'CUSTOMER',
      orders: { edges: [{ node: { id: yuriOrder, status: 'PLACED' } }] },
    });
    const byName = await gql(url, CUSTOMERS, { first: 10, search: `quarterMAIN ${tag}` }, staff.admin);
    expect(byName.customers.edges.map((e: { node: { id: string; orders: { edges: { node: { id: string } }[] } } }) => e.node.id)).toEqual([people.zoe.id]);
    expect(byName.customers.edges[0].node.orders.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([...zoeOrders].reverse());
    // wildcards are taken literally
    expect((await gql(url, CUSTOMERS, { first: 10, search: '%' }, staff.manager)).customers.totalCount).toBe(0);
  });

  it('lists the people who order by name, page by page, without staff', async () => {
    const seen: { name: string; role: string }[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 10; pages++) {
      const page: { customers: { edges: { node: { name: string; role: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string } } } = await gql(
        url,
        CUSTOMERS,
        { first: 1, after },
        staff.manager,
      );
      seen.push(...page.customers.edges.map((e) => ({ name: e.node.name, role: e.node.role })));
      if (!page.customers.pageInfo.hasNextPage) break;
      after = page.customers.pageInfo.endCursor;
    }
    // the demo partner, Yuri and Zoë; managers, operators and admins are not customers
    expect(seen).toEqual([
      { name: 'Demo Partner GmbH', role: 'PARTNER' },
      { name: `Yuri Bakker ${tag}`, role: 'CUSTOMER' },
      { name: `Zoë Quartermain ${tag}`, role: 'CUSTOMER' },
    ]);
  });

  it('refuses customers, operators and partners, and the anonymous', async () => {
    for (const who of [people.zoe, staff.operator]) expect(codeOf(await graphql(url, CUSTOMERS, { first: 5 }, who))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(url, CUSTOMERS, { first: 5 }))).toBe('UNAUTHENTICATED');
    const partner = await graphql(url, '{ customers { totalCount } }', {}, PARTNER);
    expect(partner.status).toBe(400);
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

const KEYS = '{ partnerKeys { id name plan prefix createdAt lastUsedAt revokedAt revoked partner { id name role } } }';
const CREATE = `mutation($i: CreatePartnerKeyInput!) { createPartnerKey(input: $i) { key partnerKey { id name plan prefix revoked partner { id name role } } } }`;
const REVOKE = 'mutation($id: ID!) { revokePartnerKey(id: $id) { id revoked revokedAt } }';
type Key = { id: string; name: string; prefix: string; lastUsedAt: string | null; revoked: boolean; partner: { id: string } };

describe('partner API keys', () => {
  it('shows a new key once, lets it call the public contract, and refuses it once revoked', async () => {
    const { createPartnerKey: created } = await gql(url, CREATE, { i: { name: `Acme Print ${tag}`, plan: 'PREMIUM' } }, staff.admin);
    expect(created.key).toMatch(/^fbl_[A-Za-z0-9_-]{40,}$/);
    expect(created.partnerKey).toMatchObject({ name: `Acme Print ${tag}`, plan: 'PREMIUM', prefix: created.key.slice(0, 12), revoked: false });
    expect(created.partnerKey.partner).toMatchObject({ name: `Acme Print ${tag}`, role: 'PARTNER' });

    // the key works as a partner, on the public contract only
    const me = await gql(url, '{ viewer { id role name } }', {}, { apiKey: created.key });
    expect(me.viewer).toEqual({ id: created.partnerKey.partner.id, role: 'PARTNER', name: `Acme Print ${tag}` });
    const internal = await graphql(url, '{ ordersAwaitingReview { id } }', {}, { apiKey: created.key });
    expect(codeOf(internal)).toBe('GRAPHQL_VALIDATION_FAILED');

    // the list never shows the key again: only its prefix, and when it was last used
    const listed = (await gql<{ partnerKeys: Key[] }>(url, KEYS, {}, staff.admin)).partnerKeys;
    expect(JSON.stringify(listed)).not.toContain(created.key);
    const mine = listed.find((k) => k.id === created.partnerKey.id);
    expect(mine).toMatchObject({ prefix: created.key.slice(0, 12), revoked: false });
    expect(Date.parse(String(mine?.lastUsedAt))).toBeGreaterThan(Date.now() - 60_000);
    expect(listed.find((k) => k.prefix === 'fbl_demo_par')).toMatchObject({ name: 'Demo Partner GmbH', revoked: false });

    const { revokePartnerKey } = await gql(url, REVOKE, { id: created.partnerKey.id }, staff.admin);
    expect(revokePartnerKey).toMatchObject({ id: created.partnerKey.id, revoked: true });
    // a gateway that had not verified it refuses it at once; the one that had, once its key cache time (2 s here) is over
    const fresh = await stack.spawnExtra('gateway');
    try {
      const refused = await graphql(fresh.url, '{ viewer { id } }', {}, { apiKey: created.key });
      expect(refused.status).toBe(401);
      expect(codeOf(refused)).toBe('UNAUTHENTICATED');
    } finally {
      fresh.child.kill();
    }
    const later = await eventually(async () => {
      const result = await graphql(url, '{ viewer { id } }', {}, { apiKey: created.key });
      return result.status === 401 ? result : undefined;
    });
    expect(codeOf(later)).toBe('UNAUTHENTICATED');
    // revoking again keeps the first time
    const again = await gql(url, REVOKE, { id: created.partnerKey.id }, staff.admin);
    expect(again.revokePartnerKey.revokedAt).toBe(revokePartnerKey.revokedAt);
  });

  it('adds a key to an existing partner, and refuses one for a customer', async () => {
    const demo = (await gql<{ partnerKeys: Key[] }>(url, KEYS, {}, staff.admin)).partnerKeys.find((k) => k.prefix === 'fbl_demo_par');
    const { createPartnerKey } = await gql(url, CREATE, { i: { name: 'Demo second key', partnerId: demo?.partner.id } }, staff.admin);
    expect(createPartnerKey.partnerKey).toMatchObject({ plan: 'STANDARD', partner: { id: demo?.partner.id, name: 'Demo Partner GmbH' } });
    expect((await gql(url, '{ viewer { id } }', {}, { apiKey: createPartnerKey.key })).viewer.id).toBe(demo?.partner.id);
    const customer = await graphql(url, CREATE, { i: { name: 'x', partnerId: people.zoe.id } }, staff.admin);
    expect(codeOf(customer)).toBe('BAD_USER_INPUT');
    expect(codeOf(await graphql(url, CREATE, { i: { name: '  ' } }, staff.admin))).toBe('BAD_USER_INPUT');
  });

  it('is for admins only: managers, operators and customers get FORBIDDEN, the anonymous UNAUTHENTICATED, partners no such field', async () => {
    const { partnerKeys } = await gql<{ partnerKeys: Key[] }>(url, KEYS, {}, staff.admin);
    const someKey = partnerKeys[0]?.id;
    for (const who of [staff.manager, staff.operator, people.zoe]) {
      expect(codeOf(await graphql(url, KEYS, {}, who))).toBe('FORBIDDEN');
      expect(codeOf(await graphql(url, CREATE, { i: { name: 'sneaky' } }, who))).toBe('FORBIDDEN');
      expect(codeOf(await graphql(url, REVOKE, { id: someKey }, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await graphql(url, KEYS))).toBe('UNAUTHENTICATED');
    expect(codeOf(await graphql(url, CREATE, { i: { name: 'sneaky' } }))).toBe('UNAUTHENTICATED');
    for (const query of [KEYS, CREATE]) {
      const partner = await graphql(url, query, { i: { name: 'sneaky' } }, PARTNER);
      expect(partner.status).toBe(400);
      expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
    }
    // and the crm itself refuses a partner, should a request ever reach it past the contract
    const direct = await fetch(stack.urls.crm, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fabline-internal': await signInternalToken({ viewer: { id: partnerKeys[0]?.partner.id ?? '', role: 'PARTNER' } }, INTERNAL_SECRET),
      },
      body: JSON.stringify({ query: KEYS }),
    });
    expect(codeOf((await direct.json()) as { errors?: { extensions?: { code?: string } }[] })).toBe('FORBIDDEN');
    // nothing was created by the refused calls
    expect((await gql<{ partnerKeys: Key[] }>(url, KEYS, {}, staff.admin)).partnerKeys.some((k) => k.name === 'sneaky')).toBe(false);
  });
});

describe('deciding an order', () => {
  it('lets one of two managers deciding the same order at once win; the other gets CONFLICT', async () => {
    const [first, second] = await Promise.all(
      [staff.manager, staff.admin].map((who) =>
        graphql<{ approveOrder: { id: string; status: string } }>(url, 'mutation($id: ID!) { approveOrder(id: $id) { id status } }', { id: zoeOrders[0] }, who),
      ),
    );
    const results = [first, second].map((r) => (r?.errors ? codeOf(r) : r?.data?.approveOrder.status));
    expect(results.sort()).toEqual(['APPROVED', 'CONFLICT']);
    const rejectLate = await graphql(url, 'mutation($id: ID!) { rejectOrder(id: $id, reason: "too late") { id } }', { id: zoeOrders[0] }, staff.manager);
    expect(codeOf(rejectLate)).toBe('CONFLICT');
  });

  it('keeps notes on an order with their author and time, for staff only', async () => {
    const { addOrderNote } = await gql(
      url,
      'mutation($id: ID!) { addOrderNote(orderId: $id, body: "  check the open face  ") { id body createdAt author { name } } }',
      { id: zoeOrders[1] },
      staff.manager,
    );
    expect(addOrderNote).toMatchObject({ body: 'check the open face', author: { name: 'Maria Manager' } });
    const seenByStaff = await gql(
      url,
      'query($id: ID!) { order(id: $id) { review { notes { id body author { name } createdAt } } } }',
      { id: zoeOrders[1] },
      staff.admin,
    );
    expect(seenByStaff.order.review.notes).toEqual([addOrderNote]);
    const seenByCustomer = await gql(url, 'query($id: ID!) { order(id: $id) { review { notes { id } } } }', { id: zoeOrders[1] }, people.zoe);
    expect(seenByCustomer.order.review.notes).toEqual([]);
    expect(codeOf(await graphql(url, 'mutation($id: ID!) { addOrderNote(orderId: $id, body: "mine") { id } }', { id: zoeOrders[1] }, people.zoe))).toBe(
      'FORBIDDEN',
    );
    // the customer page: every note on the customer's orders, newest first, for staff only
    const NOTES = 'query($id: ID!) { person(id: $id) { orderNotes(first: 5) { id body order { id } author { name } } } }';
    const onZoe = await gql(url, NOTES, { id: people.zoe.id }, staff.manager);
    expect(onZoe.person.orderNotes).toEqual([
      { id: addOrderNote.id, body: 'check the open face', order: { id: zoeOrders[1] }, author: { name: 'Maria Manager' } },
    ]);
    expect((await gql(url, NOTES, { id: people.yuri.id }, staff.admin)).person.orderNotes).toEqual([]);
    expect((await gql(url, NOTES, { id: people.zoe.id }, people.zoe)).person.orderNotes).toEqual([]);
  });
});
