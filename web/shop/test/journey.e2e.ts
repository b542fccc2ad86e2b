// The customer's journey in Debian's Chromium against the real stack: the shop built and served by
// serveApp on one origin with the gateway behind /graphql, every page checked by axe-core and pictured.
import { randomBytes } from 'node:crypto';
import { stlCube } from '@fabline/dev/fixtures';
import { type Stack, startStack } from '@fabline/dev/stack';
import { signUserToken } from '@fabline/shared/auth';
import { buildApp, checkPage, contextOptions, drawnShare, launchBrowser } from '@fabline/ui/harness';
import { type ServedApp, serveApp } from '@fabline/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const LIMIT = 1024 * 1024;
/** The stack's token key, so a test can issue a token that ends soon. */
const JWT_SECRET = randomBytes(32).toString('hex');

/** A GraphQL call straight to the gateway, as the staff's apps would make it. */
async function gql(url: string, query: string, variables: Record<string, unknown> = {}, auth: { token?: string } = {}): Promise<Record<string, any>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}
let stack: Stack;
let app: ServedApp;
let browser: Browser;
let context: BrowserContext;
let dist: string;
const check = (page: Page, name: string) => checkPage(page, name, { app: 'shop' });

beforeAll(async () => {
  [dist, stack] = await Promise.all([
    buildApp('shop'),
    startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '10000', MAX_UPLOAD_BYTES: String(LIMIT), JWT_SECRET } }),
  ]);
  app = await serveApp({ dist, gatewayUrl: stack.urls.gateway });
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await app?.close();
  await stack?.stop();
});

const staff = async (email: string) =>
  (await gql(stack.urls.gateway, 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: 'fabline-demo-2026' })).logIn
    .token;

async function approve(orderId: string) {
  const token = await staff('manager@fabline.dev');
  for (let attempt = 0; ; attempt++) {
    const { ordersAwaitingReview } = await gql(stack.urls.gateway, '{ ordersAwaitingReview(first: 100) { id } }', {}, { token });
    if (ordersAwaitingReview.some((o: { id: string }) => o.id === orderId)) break;
    if (attempt > 300) throw new Error(`order ${orderId} never reached the review queue`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await gql(stack.urls.gateway, 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: orderId }, { token });
}

async function shipAll(orderId: string) {
  const token = await staff('operator@fabline.dev');
  for (let attempt = 0; ; attempt++) {
    const { order } = await gql(stack.urls.gateway, 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: orderId }, { token });
    if (order.production?.stage === 'QUEUED') break;
    if (attempt > 300) throw new Error(`order ${orderId} never reached production`);
    await new Promise((r) => setTimeout(r, 100));
  }
  for (const stage of ['PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY', 'SHIPPED'])
    await gql(
      stack.urls.gateway,
      'mutation($id: ID!, $s: ProductionStage!) { advanceProduction(orderId: $id, stage: $s) { id } }',
      { id: orderId, s: stage },
      { token },
    );
}

async function signUp(page: Page, name = 'Carla Customer', base = app.url) {
  await page.goto(`${base}/signup`);
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('textbox', { name: 'Email' }).fill(`customer-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Sign up' }).click();
  await page.getByRole('heading', { name: 'Get an instant price' }).waitFor();
}

/** Uploads a model, waits until all five materials are priced, adds the chosen one to the cart, places the order; returns its id. */
async function orderCube(page: Page, options: { check?: boolean } = {}) {
  await page.getByLabel('3D model').setInputFiles({ name: 'cube-20mm.stl', mimeType: 'model/stl', buffer: Buffer.from(stlCube(20)) });
  await page.locator('[role=progressbar][aria-valuenow="100"]').waitFor();
  if (options.check) {
    // the local preview: the viewer measured the cube (20 mm each way) and drew it
    await page.getByText('20 × 20 × 20 mm').waitFor();
    const canvas = page.getByRole('img', { name: '3D preview' });
    await page.waitForFunction(() => document.querySelector('figure[aria-busy="true"]') === null);
    expect(await drawnShare(page, canvas)).toBeGreaterThan(0.02);
  }
  const table = page.getByRole('table');
  await table.waitFor();
  await page.waitForFunction(() => {
    const rows = [...document.querySelectorAll('table tbody tr')];
    return rows.length === 5 && rows.every((row) => /[0-9]/.test(row.querySelector('td')?.textContent ?? '') && !/Calculating/.test(row.textContent ?? ''));
  });
  if (options.check) await check(page, 'quote');
  await page.getByRole('spinbutton', { name: 'Quantity' }).fill('2');
  await page.waitForFunction(
    () => document.querySelector('table caption')?.textContent?.includes('2 pieces') && !/Calculating/.test(document.querySelector('table')?.textContent ?? ''),
  );
  await page.getByRole('combobox', { name: 'Material' }).selectOption('PLA');
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.getByRole('link', { name: 'Go to the cart' }).click();
  await page.getByRole('button', { name: 'Place order' }).waitFor();
  if (options.check) await check(page, 'cart');
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL(/\/orders\/[0-9a-f-]+$/);
  await page
    .getByRole('status')
    .filter({ hasText: /^Placed$/ })
    .waitFor();
  return new URL(page.url()).pathname.split('/').pop() as string;
}

describe('the customer journey in Chromium', { timeout: 600_000 }, () => {
  it('signs up, uploads, sees every price, orders, and follows the order live to Shipped', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await page.goto(app.url);
    await page.waitForURL(/\/login$/);
    await check(page, 'login');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByRole('button', { name: 'Sign up' }).waitFor();
    await check(page, 'signup');
    await signUp(page);
    await check(page, 'quote-empty');

    const tableRows = page.locator('table tbody tr');
    const orderId = await orderCube(page, { check: true });
    expect(await tableRows.count()).toBe(0); // we are on the order page now
    await check(page, 'order-placed');

    // a marker on window survives only if the page is never reloaded
    await page.evaluate(() => Object.assign(window, { __noReload: true }));
    await approve(orderId);
    await page
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    await shipAll(orderId);
    await page
      .getByRole('status')
      .filter({ hasText: /^Shipped$/ })
      .waitFor();
    expect(await page.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(await page.getByRole('button', { name: 'Cancel order' }).count()).toBe(0);
    await check(page, 'order-shipped');

    await page.getByRole('link', { name: 'My orders' }).click();
    await page
      .getByRole('link', { name: /^Order / })
      .first()
      .waitFor();
    await check(page, 'orders');
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL(/\/login$/);
    await context.close();
  });

  it('updates the orders list from a pushed status, without asking for the list again', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    const listRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.postData()?.includes('"operationName":"MyOrders"')) listRequests.push(request.url());
    });
    await signUp(page, 'Lena List');
    const orderId = await orderCube(page);
    await page.getByRole('link', { name: 'My orders' }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: `Order ${orderId.slice(0, 8).toUpperCase()}` }) });
    await row.getByText('Placed').waitFor();
    expect(listRequests).toHaveLength(1);
    await row.getByRole('link').click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Placed$/ })
      .waitFor();
    await approve(orderId);
    await page
      .getByRole('status')
      .filter({ hasText: /^Approved$/ })
      .waitFor();
    await page.getByRole('link', { name: 'My orders' }).click();
    await row.getByText('Approved').waitFor();
    expect(listRequests).toHaveLength(1);
    await context.close();
  });
});

describe('what goes wrong, said in sentences', { timeout: 300_000 }, () => {
  it('refuses a file over the limit before sending it, and shows the server reason for a PNG named .stl', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.headers()['content-type']?.startsWith('multipart/form-data')) uploads.push(request.url());
    });
    await signUp(page, 'Otto Oversize');
    await page.getByLabel('3D model').setInputFiles({ name: 'huge.stl', mimeType: 'model/stl', buffer: Buffer.alloc(LIMIT + 1) });
    await page.getByRole('alert').filter({ hasText: 'files may be at most 1 MB' }).waitFor();
    // dropped on the box instead of chosen: the same check
    await page.getByText('Drop an STL, OBJ or 3MF file here').evaluate((box, size) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(size)], 'dropped.stl'));
      box.parentElement?.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, LIMIT + 1);
    await page.getByRole('alert').filter({ hasText: 'The file dropped.stl is' }).waitFor();
    expect(uploads).toHaveLength(0);
    await check(page, 'upload-too-large');

    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(600, 1)]);
    await page.getByLabel('3D model').setInputFiles({ name: 'photo.stl', mimeType: 'model/stl', buffer: png });
    await page.getByRole('alert').filter({ hasText: 'photo.stl is not an STL, OBJ or 3MF model' }).waitFor();
    expect(uploads).toHaveLength(1);
    await context.close();
  });

  it('cancels an order while that is allowed', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await signUp(page, 'Cora Cancel');
    await orderCube(page);
    await page.getByRole('button', { name: 'Cancel order' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Cancelled$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Cancel order' }).waitFor({ state: 'detached' });
    await context.close();
  });

  it('logs out when the gateway closes the live socket because the token expired (close code 4401)', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await signUp(page, 'Tess Timeout');
    const orderId = await orderCube(page);
    // the same customer with a token that ends in 45 s; the order page then only listens on its socket
    const session = JSON.parse((await page.evaluate(() => localStorage.getItem('fabline.session'))) ?? '{}');
    const token = await signUserToken({ id: session.viewer.id, role: 'CUSTOMER' }, JWT_SECRET, '45s');
    await page.evaluate((next) => localStorage.setItem('fabline.session', JSON.stringify(next)), { ...session, token });
    await page.reload();
    await page
      .getByRole('status')
      .filter({ hasText: /^Placed$/ })
      .waitFor();
    const graphqlRequests: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/graphql') && request.method() === 'POST') graphqlRequests.push(request.url());
    });
    await page.waitForURL(/\/login$/, { timeout: 90_000 });
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
    // nothing but the socket told the page: no HTTP request went out after the order was shown
    expect(graphqlRequests).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('fabline.session'))).toBeNull();
    expect(orderId).toBeTruthy();
    await context.close();
  });

  it('says a wrong password is wrong, and sends a customer whose token the gateway refuses to the login page', async () => {
    context = await browser.newContext(contextOptions);
    const page = await context.newPage();
    await page.goto(`${app.url}/login`);
    await page.getByRole('textbox', { name: 'Email' }).fill('manager@fabline.dev');
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong email or password.' }).waitFor();
    await check(page, 'login-wrong-password');

    // a token that reads as valid for an hour but that the gateway does not accept (as after a key rotation or expiry)
    const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const token = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: 'nobody', exp: Math.floor(Date.now() / 1000) + 3600 })}.c2lnbmF0dXJl`;
    await page.evaluate((session) => localStorage.setItem('fabline.session', JSON.stringify(session)), {
      token,
      viewer: { id: 'x', role: 'CUSTOMER', name: 'Ghost' },
    });
    await page.goto(`${app.url}/orders`);
    await page.waitForURL(/\/login$/);
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('fabline.session'))).toBeNull();
    await context.close();
  });
});

describe('against a gateway that accepts only the manifest (PERSISTED_QUERIES_ONLY=on)', { timeout: 300_000 }, () => {
  it('runs the journey on persisted ids alone, the multipart upload and the live status included', async () => {
    const strict = await stack.spawnExtra('gateway', { PERSISTED_QUERIES_ONLY: 'on' });
    const strictApp = await serveApp({ dist, gatewayUrl: strict.url });
    try {
      context = await browser.newContext(contextOptions);
      const page = await context.newPage();
      const sent: { multipart: boolean; withText: boolean }[] = [];
      const refused: number[] = [];
      page.on('request', (request) => {
        if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return;
        const body = request.postDataBuffer()?.toString('latin1') ?? '';
        sent.push({ multipart: (request.headers()['content-type'] ?? '').startsWith('multipart/'), withText: body.includes('"query":') });
      });
      page.on('response', (response) => {
        if (response.url().endsWith('/graphql') && response.status() >= 400) refused.push(response.status());
      });
      await signUp(page, 'Petra Persisted', strictApp.url);
      const orderId = await orderCube(page);
      await approve(orderId);
      await page
        .getByRole('status')
        .filter({ hasText: /^Approved$/ })
        .waitFor();
      expect(sent.filter((r) => r.multipart)).toHaveLength(1);
      expect(sent.filter((r) => r.withText)).toEqual([]);
      expect(refused).toEqual([]);
      await context.close();
    } finally {
      await strictApp.close();
      strict.child.kill();
    }
  });
});
