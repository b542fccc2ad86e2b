// The CRM in Debian's Chromium against the real stack, beside the shop on the same stack: a manager
// sees an order arrive live while a customer places it, opens it (the model drawn in 3D), decides,
// and the customer's open order page follows; two managers deciding at once; an admin's partner
// keys, dead letters and response cache. Every page checked by axe-core and pictured in en and ru.
import { randomUUID } from 'node:crypto';
import { stlCube } from '@fabline/dev/fixtures';
import { type Stack, startStack } from '@fabline/dev/stack';
import { tcpProxy } from '@fabline/dev/tcpProxy';
import { Bus } from '@fabline/shared/bus';
import { EVENTS } from '@fabline/shared/events';
import { createLogger } from '@fabline/shared/logger';
import { createRedis } from '@fabline/shared/redis';
import { buildApp, checkPage, contextOptions, drawnShare, holdPushes, launchBrowser } from '@fabline/ui/harness';
import { type ServedApp, serveApp } from '@fabline/ui/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let stack: Stack;
let crm: ServedApp;
let shop: ServedApp;
let browser: Browser;
let crmDist: string;
const check = (page: Page, name: string) => checkPage(page, name, { app: 'crm', sizes: [[1280, 800]] });
const number = (id: string) => id.slice(0, 8).toUpperCase();

interface Answer {
  status: number;
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}
type Auth = { token?: string; apiKey?: string };
const headersOf = (auth: Auth): Record<string, string> =>
  auth.token ? { authorization: `Bearer ${auth.token}` } : auth.apiKey ? { 'x-api-key': auth.apiKey } : {};

/** A GraphQL request straight to the gateway, as another client would send it. */
async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, auth: Auth = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headersOf(auth) },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Omit<Answer, 'status'>) };
}
async function gql(url: string, query: string, variables: Record<string, unknown> = {}, auth: Auth = {}): Promise<Record<string, any>> {
  const answer = await graphql(url, query, variables, auth);
  if (answer.errors?.length || !answer.data) throw new Error(`GraphQL errors: ${JSON.stringify(answer.errors)}`);
  return answer.data;
}
/** A GraphQL multipart upload of one file. */
async function upload(url: string, name: string, bytes: Uint8Array, auth: Auth) {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query: 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', variables: { file: null } }));
  form.set('map', JSON.stringify({ 0: ['variables.file'] }));
  form.set('0', new Blob([bytes as Uint8Array<ArrayBuffer>]), name);
  const response = await fetch(url, { method: 'POST', headers: { 'apollo-require-preflight': 'true', ...headersOf(auth) }, body: form });
  const body = (await response.json()) as { data?: { uploadModel: { id: string } } };
  if (!body.data) throw new Error(`upload failed: ${JSON.stringify(body)}`);
  return body.data.uploadModel.id;
}
/** Asks until the check answers something other than undefined. */
async function eventually<T>(check: () => Promise<T | undefined>, { timeoutMs = 15_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('eventually: the condition never held');
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

beforeAll(async () => {
  let shopDist: string;
  [crmDist, shopDist] = await Promise.all([buildApp('crm'), buildApp('shop')]);
  // a short key cache, so that a revoked partner key is refused within the test
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '15000', API_KEY_CACHE_MS: '2000' } });
  [crm, shop] = await Promise.all([serveApp({ dist: crmDist, gatewayUrl: stack.urls.gateway }), serveApp({ dist: shopDist, gatewayUrl: stack.urls.gateway })]);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await crm?.close();
  await shop?.close();
  await stack?.stop();
});

async function staffPage(email: string, base = crm.url) {
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.goto(base);
  await page.waitForURL(/\/login$/);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByRole('textbox', { name: 'Password' }).fill('fabline-demo-2026');
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('table', { name: 'Awaiting review' }).waitFor();
  return page;
}

/** A customer made through the API, with a shop tab logged in as them. */
async function customer(name: string) {
  const email = `crm-${randomUUID().slice(0, 8)}@example.com`;
  const { signUp } = await gql(stack.urls.gateway, 'mutation($i: SignUpInput!) { signUp(input: $i) { token viewer { id role name email } } }', {
    i: { email, password: 'correct horse battery', name },
  });
  const context = await browser.newContext(contextOptions);
  const page = await context.newPage();
  await page.goto(`${shop.url}/login`);
  await page.evaluate((session) => localStorage.setItem('fabline.session', JSON.stringify(session)), { token: signUp.token, viewer: signUp.viewer });
  return { token: signUp.token as string, email, page };
}

/** A binary STL cube with its last triangle left out: a hole, so not watertight (its order needs a check). */
function openBox(sizeMm: number) {
  const closed = stlCube(sizeMm);
  const open = closed.slice(0, closed.byteLength - 50);
  new DataView(open.buffer).setUint32(80, 11, true);
  return open;
}

/** An order placed through the API, once the CRM has opened its review. */
async function apiOrder(who: { token: string }, size = 15, options: { open?: boolean } = {}) {
  const url = stack.urls.gateway;
  const modelId = await upload(url, `cube-${size}.stl`, options.open ? openBox(size) : stlCube(size), who);
  const { requestQuote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id status } }',
    {
      i: { modelId, material: 'PLA', quantity: 1 },
    },
    who,
  );
  expect(requestQuote.status).toBe('READY');
  const { placeOrder } = await gql(
    url,
    'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }',
    { i: { items: [{ quoteId: requestQuote.id }] } },
    who,
  );
  const manager = { token: (await gql(url, 'mutation { logIn(email: "manager@fabline.dev", password: "fabline-demo-2026") { token } }')).logIn.token };
  await eventually(async () => {
    const { ordersAwaitingReview } = await gql(url, '{ ordersAwaitingReview(first: 100) { id } }', {}, manager);
    return ordersAwaitingReview.some((o: { id: string }) => o.id === placeOrder.id) ? true : undefined;
  });
  return placeOrder.id as string;
}

/** The shop's own journey: upload, wait for every price, add to the cart, place the order; returns its id. */
async function shopOrder(page: Page) {
  await page.goto(shop.url);
  await page.getByLabel('3D model').setInputFiles({ name: 'cube-20mm.stl', mimeType: 'model/stl', buffer: Buffer.from(stlCube(20)) });
  await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('table tbody tr')];
    return rows.length === 5 && rows.every((row) => /[0-9]/.test(row.querySelector('td')?.textContent ?? '') && !/Calculating/.test(row.textContent ?? ''));
  });
  await page.getByRole('combobox', { name: 'Material' }).selectOption('PLA');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Go to the cart' }).click();
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  await page
    .getByRole('status')
    .filter({ hasText: /^Placed$/ })
    .waitFor();
  return new URL(page.url()).pathname.split('/').pop() as string;
}

describe('managers in the CRM', { timeout: 600_000 }, () => {
  it('lets only staff in: a customer is told the app is for staff, a wrong password is wrong', async () => {
    const context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await page.goto(crm.url);
    await page.waitForURL(/\/login$/);
    await check(page, 'login');
    const someone = await customer('Cora Customer');
    await someone.page.context().close();
    await page.getByRole('textbox', { name: 'Email' }).fill(someone.email);
    await page.getByRole('textbox', { name: 'Password' }).fill('correct horse battery');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This app is for Fabline staff' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('fabline.session'))).toBeNull();
    await check(page, 'login-customer');
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await context.close();
  });

  it('shows an order the moment the customer places it, draws its model, approves it, and the customer sees Approved', async () => {
    const manager = await staffPage('manager@fabline.dev');
    const queue = manager.getByRole('table', { name: 'Awaiting review' });
    await check(manager, 'queue');
    await manager.evaluate(() => Object.assign(window, { __noReload: true }));

    const buyer = await customer('Anna Arrival');
    const orderId = await shopOrder(buyer.page);
    const link = queue.getByRole('link', { name: `Order ${number(orderId)}` });
    await link.waitFor({ timeout: 10_000 });
    expect(await manager.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await expect(
      queue
        .getByRole('row')
        .filter({ has: manager.getByRole('link', { name: `Order ${number(orderId)}` }) })
        .textContent(),
    ).resolves.toContain('Anna Arrival');
    await check(manager, 'queue-live');

    await link.click();
    await manager.getByRole('heading', { name: `Order ${number(orderId)}` }).waitFor();
    await manager.getByText('Size 20 × 20 × 20 mm').waitFor();
    await manager.waitForFunction(() => document.querySelector('figure[aria-busy="true"]') === null);
    expect(await drawnShare(manager, manager.getByRole('img', { name: '3D preview' }))).toBeGreaterThan(0.02);
    await manager.getByRole('link', { name: 'Anna Arrival' }).waitFor();

    await manager.getByRole('textbox', { name: 'Note' }).fill('Checked the wall thickness by phone.');
    await manager.getByRole('button', { name: 'Add note' }).click();
    await manager.getByText('Checked the wall thickness by phone.').waitFor();
    await manager.getByText(/^Maria Manager, /).waitFor();
    await check(manager, 'order');

    await manager.getByRole('button', { name: 'Approve' }).click();
    await manager
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    await buyer.page
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    await check(manager, 'order-approved');

    // back in the queue the decided order is gone
    await manager.getByRole('link', { name: 'Review queue' }).click();
    await queue.waitFor();
    await expect.poll(() => link.count()).toBe(0);
    await manager.context().close();
    await buyer.page.context().close();
  });

  it('resumes the feed with the last cursor after a lost connection: an order placed meanwhile appears without a reload', async () => {
    // this CRM reaches the gateway through a proxy the test can cut, as a dropped network would
    const proxy = await tcpProxy(Number(new URL(stack.urls.gateway).port));
    const cuttable = await serveApp({ dist: crmDist, gatewayUrl: `http://127.0.0.1:${proxy.port}/graphql` });
    try {
      const manager = await staffPage('manager@fabline.dev', cuttable.url);
      const queue = manager.getByRole('table', { name: 'Awaiting review' });
      const buyer = await customer('Rhea Resume');
      await buyer.page.context().close();
      const before = await apiOrder(buyer);
      await queue.getByRole('link', { name: `Order ${number(before)}` }).waitFor();
      await manager.evaluate(() => Object.assign(window, { __noReload: true }));

      proxy.cut();
      await manager.getByRole('alert').filter({ hasText: 'The connection to Fabline was lost' }).waitFor();
      const during = await apiOrder(buyer);
      proxy.restore();
      await queue.getByRole('link', { name: `Order ${number(during)}` }).waitFor({ timeout: 60_000 });
      expect(await manager.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      await manager.context().close();
    } finally {
      await cuttable.close();
      await proxy.close();
    }
  });

  it('reloads the list and follows afresh when the feed can no longer resume (RESUME_WINDOW_EXPIRED)', async () => {
    const proxy = await tcpProxy(Number(new URL(stack.urls.gateway).port));
    const cuttable = await serveApp({ dist: crmDist, gatewayUrl: `http://127.0.0.1:${proxy.port}/graphql` });
    const redis = createRedis({ url: 'redis://127.0.0.1:6379', namespace: stack.namespace, logger: createLogger({ name: 'test', level: 'silent' }) });
    try {
      const manager = await staffPage('manager@fabline.dev', cuttable.url);
      const queue = manager.getByRole('table', { name: 'Awaiting review' });
      const buyer = await customer('Wim Window');
      await buyer.page.context().close();
      const before = await apiOrder(buyer);
      await queue.getByRole('link', { name: `Order ${number(before)}` }).waitFor();
      await manager.evaluate(() => Object.assign(window, { __noReload: true }));

      proxy.cut();
      await manager.getByRole('alert').filter({ hasText: 'The connection to Fabline was lost' }).waitFor();
      const during = await apiOrder(buyer);
      // the feed's log no longer holds the cursor the page will resume from
      await redis.xtrim('order-events', 'MAXLEN', 0);
      proxy.restore();
      await queue.getByRole('link', { name: `Order ${number(during)}` }).waitFor({ timeout: 60_000 });
      expect(await manager.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
      // and the fresh feed is live again
      const after = await apiOrder(buyer);
      await queue.getByRole('link', { name: `Order ${number(after)}` }).waitFor();
      await manager.context().close();
    } finally {
      redis.disconnect();
      await cuttable.close();
      await proxy.close();
    }
  });

  it('sorts the queue newest or oldest first, counts it, and filters it to models that need a check', async () => {
    const buyer = await customer('Nina Needs-Check');
    await buyer.page.context().close();
    const watertight = await apiOrder(buyer, 16);
    const holed = await apiOrder(buyer, 17, { open: true });
    const manager = await staffPage('manager@fabline.dev');
    const queue = manager.getByRole('table', { name: 'Awaiting review' });
    await queue.getByRole('link', { name: `Order ${number(holed)}` }).waitFor();
    const shown = () => queue.locator('tbody tr').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-order-id')));
    const rows = await shown();
    await manager
      .getByRole('status')
      .filter({ hasText: `${rows.length} waiting` })
      .waitFor();
    // newest first unless asked otherwise
    expect(rows.indexOf(holed)).toBeLessThan(rows.indexOf(watertight));
    await manager.getByRole('combobox', { name: 'Sort' }).selectOption('oldest');
    const oldest = await shown();
    expect(oldest.indexOf(holed)).toBeGreaterThan(oldest.indexOf(watertight));
    await manager.getByRole('checkbox', { name: 'Only models that need a check' }).check();
    await expect.poll(() => queue.getByRole('link', { name: `Order ${number(watertight)}` }).count()).toBe(0);
    await queue
      .getByRole('row')
      .filter({ hasText: 'Needs review' })
      .filter({ has: manager.getByRole('link', { name: `Order ${number(holed)}` }) })
      .waitFor();
    await check(manager, 'queue-needs-review');
    await manager.context().close();
  });

  it('rejects with a required reason, which the customer reads on the order page', async () => {
    const buyer = await customer('Rita Rejected');
    const orderId = await apiOrder(buyer);
    await buyer.page.goto(`${shop.url}/orders/${orderId}`);
    await buyer.page
      .getByRole('status')
      .filter({ hasText: /^Placed$/ })
      .waitFor();

    const manager = await staffPage('manager@fabline.dev');
    await manager.goto(`${crm.url}/orders/${orderId}`);
    await manager.getByRole('button', { name: 'Reject' }).click();
    // no reason yet: nothing is sent, and the field says why
    await manager.getByText('Write the reason for the customer before rejecting.').waitFor();
    expect(
      await manager
        .getByRole('status')
        .filter({ hasText: /^Placed$/ })
        .count(),
    ).toBe(1);
    await check(manager, 'order-reject-reason');
    const reason = 'The walls are thinner than 0.8 mm; please thicken them and order again.';
    await manager.getByRole('textbox', { name: 'Reason' }).fill(reason);
    await manager.getByRole('button', { name: 'Reject' }).click();
    await manager
      .getByRole('status')
      .filter({ hasText: /^Rejected$/ })
      .waitFor();
    await buyer.page
      .getByRole('status')
      .filter({ hasText: /^Rejected$/ })
      .waitFor();
    await buyer.page.getByText(reason).waitFor();
    await manager.context().close();
    await buyer.page.context().close();
  });

  it('lets one of two managers deciding the same order win, and tells the other in a sentence', async () => {
    const buyer = await customer('Dora Double');
    await buyer.page.context().close();
    const orderId = await apiOrder(buyer);
    const [first, second] = await Promise.all([staffPage('manager@fabline.dev'), staffPage('admin@fabline.dev')]);
    // the second page is live too: to be stale when its manager clicks, what the gateway pushes to it is held back
    const pushes = await holdPushes(second);
    pushes.holding = true;
    for (const page of [first, second]) {
      await page.goto(`${crm.url}/orders/${orderId}`);
      await page.getByRole('button', { name: 'Approve' }).waitFor();
    }
    // the first approves from the keyboard (Alt+A, the page's repeated action)
    await first.keyboard.press('Alt+KeyA');
    await first
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    await second.getByRole('button', { name: 'Approve' }).click();
    await second.getByRole('alert').filter({ hasText: 'Another manager decided this order a moment ago' }).waitFor();
    pushes.holding = false;
    await second
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    expect(await second.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await check(second, 'order-conflict');
    await first.context().close();
    await second.context().close();
  });

  it('keeps other managers current without a reload: their queue drops an order another manager approved, and an open order page shows each new status live', async () => {
    const buyer = await customer('Lena Live');
    await buyer.page.context().close();
    const orderId = await apiOrder(buyer);
    const [decider, watcher, reader] = await Promise.all([staffPage('manager@fabline.dev'), staffPage('admin@fabline.dev'), staffPage('manager@fabline.dev')]);
    const queue = watcher.getByRole('table', { name: 'Awaiting review' });
    const row = queue.getByRole('link', { name: `Order ${number(orderId)}` });
    await row.waitFor();
    await reader.goto(`${crm.url}/orders/${orderId}`);
    await reader
      .getByRole('status')
      .filter({ hasText: /^Placed$/ })
      .waitFor();
    // a marker on window survives only if the page is never reloaded
    for (const page of [watcher, reader]) await page.evaluate(() => Object.assign(window, { __noReload: true }));

    await decider.goto(`${crm.url}/orders/${orderId}`);
    await decider.getByRole('button', { name: 'Approve' }).click();
    await decider
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    // the other managers: the queue drops the order, the order page says Approved and offers no decision
    await row.waitFor({ state: 'detached' });
    await reader
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    expect(await reader.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await check(watcher, 'queue-decided-elsewhere');

    // production moves it on through the API: the open order page follows, its history too
    const url = stack.urls.gateway;
    const operator = { token: (await gql(url, 'mutation { logIn(email: "operator@fabline.dev", password: "fabline-demo-2026") { token } }')).logIn.token };
    await eventually(async () => {
      const { order } = await gql(url, 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: orderId }, operator);
      return order.production?.stage === 'QUEUED' ? true : undefined;
    });
    await gql(url, 'mutation($id: ID!) { advanceProduction(orderId: $id, stage: PRINTING) { id } }', { id: orderId }, operator);
    await reader
      .getByRole('status')
      .filter({ hasText: /^In production$/ })
      .waitFor();
    await reader.getByRole('listitem').filter({ hasText: 'In production' }).first().waitFor();
    for (const page of [watcher, reader]) expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await check(reader, 'order-live');
    for (const page of [decider, watcher, reader]) await page.context().close();
  });

  it('finds a customer by name or email and shows their orders and notes', async () => {
    const buyer = await customer(`Søren Searchable ${randomUUID().slice(0, 4)}`);
    await buyer.page.context().close();
    await apiOrder(buyer);
    const manager = await staffPage('manager@fabline.dev');
    await manager.getByRole('link', { name: 'Customers' }).click();
    await manager.getByRole('textbox', { name: 'Search' }).fill(buyer.email);
    const row = manager.getByRole('link', { name: /Søren Searchable/ });
    await row.waitFor();
    await check(manager, 'customers');
    await row.click();
    await manager.getByRole('heading', { name: /Søren Searchable/ }).waitFor();
    await manager
      .getByRole('link', { name: /^Order / })
      .first()
      .waitFor();
    await check(manager, 'customer');
    // every customer's orders, filtered on the server
    await manager.getByRole('link', { name: 'All orders' }).click();
    const all = manager.getByRole('table', { name: 'All orders' });
    await all
      .getByRole('link', { name: /^Order / })
      .first()
      .waitFor();
    await manager.getByRole('combobox', { name: 'Status' }).selectOption('REJECTED');
    await all.getByRole('row').filter({ hasText: 'Rita Rejected' }).first().waitFor();
    // the rows of the earlier filter stay (marked busy) until the server's answer replaces them
    await expect.poll(() => all.getByRole('row').filter({ hasText: 'Anna Arrival' }).count()).toBe(0);
    await manager.locator('table[aria-busy="false"]').waitFor();
    await check(manager, 'orders');
    await manager.context().close();
  });
});

describe('admins in the CRM', { timeout: 600_000 }, () => {
  it('creates a partner key shown once, which sees only the public contract, and revokes it', async () => {
    const admin = await staffPage('admin@fabline.dev');
    await admin.getByRole('link', { name: 'Partners' }).click();
    await admin.getByRole('table', { name: 'Partner keys' }).waitFor();
    const name = `Acme Print ${randomUUID().slice(0, 6)}`;
    await admin.getByRole('textbox', { name: 'Name' }).fill(name);
    await admin.getByRole('button', { name: 'Create key' }).click();
    const shown = admin.getByRole('status').filter({ hasText: 'shown only this once' });
    await shown.waitFor();
    const key = (await shown.getByTestId('new-partner-key').textContent())?.trim() ?? '';
    expect(key).toMatch(/^fbl_/);
    await check(admin, 'partners');

    const url = stack.urls.gateway;
    const apiKey = { apiKey: key };
    expect((await gql(url, '{ viewer { role name } }', {}, apiKey)).viewer).toEqual({ role: 'PARTNER', name });
    expect((await gql(url, '{ materials { code } }', {}, apiKey)).materials.length).toBeGreaterThan(0);
    const internal = await graphql(url, '{ eventQueues { name } }', {}, apiKey);
    expect(internal.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');

    const row = admin.getByRole('row').filter({ hasText: name });
    // the list shows only the key's first characters, never the key
    expect(await row.textContent()).not.toContain(key);
    await row.getByRole('button', { name: 'Revoke' }).click();
    await row.getByText(/^Revoked /).waitFor();
    const refused = await eventually(async () => {
      const result = await graphql(url, '{ viewer { id } }', {}, apiKey);
      return result.status === 401 ? result : undefined;
    });
    expect(refused.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    await admin.context().close();
  });

  it('replays a dead letter and sees the count fall', async () => {
    const QUEUE = 'crm.order-placed';
    const bus = new Bus({ url: 'amqp://guest:guest@127.0.0.1:5672', namespace: stack.namespace, logger: createLogger({ name: 'test', level: 'silent' }) });
    try {
      // an order.placed without its total: the CRM consumer cannot open a review for it, and sets it aside after its retries
      const poison = randomUUID();
      await bus.publish(EVENTS.orderPlaced, { orderId: randomUUID(), customerId: randomUUID(), placedAt: new Date().toISOString() }, poison);
      const admin = await staffPage('admin@fabline.dev');
      await admin.getByRole('link', { name: 'Dead letters' }).click();
      const count = admin.locator(`tr[data-queue="${QUEUE}"] td[data-dead-letters]`);
      await eventually(
        async () => {
          await admin.getByRole('button', { name: 'Refresh' }).click();
          return (await count.getAttribute('data-dead-letters')) === '1' ? true : undefined;
        },
        { timeoutMs: 30_000, intervalMs: 500 },
      );
      await admin.getByRole('button', { name: `Letters of ${QUEUE}` }).click();
      await admin.getByText(poison, { exact: true }).waitFor();
      await check(admin, 'dead-letters');
      await admin.getByRole('button', { name: 'Replay', exact: true }).click();
      await admin.getByText('Sent back to its queue.').waitFor();
      await expect.poll(() => count.getAttribute('data-dead-letters')).toBe('0');
      await admin.context().close();
    } finally {
      await bus.close();
    }
  });

  it('invalidates the response cache by type and shows the answer', async () => {
    const admin = await staffPage('admin@fabline.dev');
    await admin.getByRole('link', { name: 'Response cache' }).click();
    await admin.getByRole('textbox', { name: 'Types' }).fill('Material');
    await admin.getByRole('button', { name: 'Invalidate' }).click();
    await admin.getByText('Every gateway replica acknowledged.').waitFor();
    await check(admin, 'cache');
    // a manager is not an admin: the admin pages say so
    const manager = await staffPage('manager@fabline.dev');
    await manager.goto(`${crm.url}/partners`);
    await manager.getByRole('alert').filter({ hasText: 'This page is for admins.' }).waitFor();
    await admin.context().close();
    await manager.context().close();
  });
});
