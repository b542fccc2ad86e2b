// The operators' MES in Debian's Chromium against the real stack: the MES and the shop built and
// served by serveApp on their own origins with the gateway behind /graphql; every page checked by
// axe-core and pictured (English and Russian, 1280×800) under .data/screenshots/mes.
import { stlCube } from '@fabline/dev/fixtures';
import { type Stack, startStack } from '@fabline/dev/stack';
import { buildApp, checkPage, contextOptions, holdPushes, launchBrowser } from '@fabline/ui/harness';
import { type ServedApp, serveApp } from '@fabline/ui/server';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const password = 'fabline-demo-2026';
let stack: Stack;
let mes: ServedApp;
let shop: ServedApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const check = (page: Page, name: string) => checkPage(page, name, { app: 'mes', sizes: [[1280, 800]] });
const url = () => stack.urls.gateway;

/** A GraphQL call straight to the gateway (what another person's app would send); throws on errors. */
async function gql(at: string, query: string, variables: Record<string, unknown> = {}, auth: { token?: string } = {}): Promise<Record<string, any>> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  const response = await fetch(at, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
  if (body.errors?.length || !body.data) throw new Error(`GraphQL errors: ${JSON.stringify(body.errors)}`);
  return body.data;
}

/** A GraphQL multipart upload of one model (as the shop sends it). */
async function uploadModel(token: string, name: string, bytes: Uint8Array) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query: 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([new Uint8Array(bytes)], { type: 'model/stl' }), name);
  const response = await fetch(url(), { method: 'POST', headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': 'true' }, body: form });
  const body = (await response.json()) as { data?: { uploadModel: { id: string } }; errors?: unknown[] };
  if (!body.data) throw new Error(`upload failed: ${JSON.stringify(body.errors)}`);
  return body.data.uploadModel.id;
}

beforeAll(async () => {
  let mesDist: string;
  let shopDist: string;
  [mesDist, shopDist, stack] = await Promise.all([buildApp('mes'), buildApp('shop'), startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '10000' } })]);
  [mes, shop] = await Promise.all([serveApp({ dist: mesDist, gatewayUrl: url() }), serveApp({ dist: shopDist, gatewayUrl: url() })]);
  browser = await launchBrowser();
});
afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await mes?.close();
  await shop?.close();
  await stack?.stop();
});

async function newPage() {
  const context = await browser.newContext(contextOptions);
  contexts.push(context);
  return context.newPage();
}

const staffToken = async (email: string) =>
  (await gql(url(), 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', { e: email, p: password })).logIn.token as string;

/** A new customer (through the API) and one placed order of two PLA cubes (20 mm unless said). */
async function customerOrder(cubeMm = 20) {
  const { signUp } = await gql(url(), 'mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { id role name email } } }', {
    input: { email: `mes-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`, password: 'correct horse battery', name: 'Mira Maker' },
  });
  const customer = { token: signUp.token as string };
  const modelId = await uploadModel(customer.token, `cube-${cubeMm}mm.stl`, stlCube(cubeMm));
  const { requestQuote } = await gql(
    url(),
    'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
    { input: { modelId, material: 'PLA', quantity: 2 } },
    customer,
  );
  const { placeOrder } = await gql(
    url(),
    'mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { id } }',
    { input: { items: [{ quoteId: requestQuote.id }] } },
    customer,
  );
  return { orderId: placeOrder.id as string, session: { token: signUp.token as string, viewer: signUp.viewer } };
}

/** A manager approves the order through the API, once the CRM has opened its review. */
async function approve(orderId: string) {
  const token = await staffToken('manager@fabline.dev');
  for (let attempt = 0; ; attempt++) {
    const { ordersAwaitingReview } = await gql(url(), '{ ordersAwaitingReview(first: 100) { id } }', {}, { token });
    if (ordersAwaitingReview.some((o: { id: string }) => o.id === orderId)) break;
    if (attempt > 300) throw new Error(`order ${orderId} never reached the review queue`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await gql(url(), 'mutation($id: ID!) { approveOrder(id: $id) { id } }', { id: orderId }, { token });
}

async function logInToMes(page: Page, email = 'operator@fabline.dev') {
  await page.goto(`${mes.url}/login`);
  await page.getByRole('textbox', { name: 'Email' }).fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('list', { name: 'Queued' }).waitFor();
}

/** The card of an order in a stage's column. */
const card = (page: Page, stage: string, orderId: string) =>
  page
    .getByRole('list', { name: stage, exact: true })
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: orderId.slice(0, 8), exact: true }) });

const stages = ['Queued', 'Printing', 'Post-processing', 'Quality check', 'Ready', 'Shipped'];

describe('the production board in Chromium', { timeout: 600_000 }, () => {
  it('tells a customer and a manager that the MES is for production staff', async () => {
    const page = await newPage();
    await page.goto(mes.url);
    await page.waitForURL(/\/login$/);
    await check(page, 'login');
    await page.getByRole('textbox', { name: 'Email' }).fill('manager@fabline.dev');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This app is for production staff' }).waitFor();
    expect(await page.evaluate(() => localStorage.getItem('fabline.session'))).toBeNull();
    expect(page.url()).toMatch(/\/login$/);
  });

  it('shows an order approved through the API in Queued without a reload, assigns it to a printer that fits (a too small one refused with the reason), advances it to Shipped, and the customer sees Shipped live', async () => {
    // a 200 mm cube: too large for the Prusa MINI+ (180 mm), fits the Prusa MK4 (250 × 210 × 220 mm)
    const { orderId, session } = await customerOrder(200);
    // the customer's order page in the shop, open the whole time
    const customer = await newPage();
    await customer.addInitScript((value) => localStorage.setItem('fabline.session', value), JSON.stringify(session));
    await customer.goto(`${shop.url}/orders/${orderId}`);
    await customer
      .getByRole('status')
      .filter({ hasText: /^Placed$/ })
      .waitFor();

    const operator = await newPage();
    await logInToMes(operator);
    await check(operator, 'board');
    // a marker on window survives only if the page is never reloaded
    await operator.evaluate(() => Object.assign(window, { __noReload: true }));
    await approve(orderId);
    const queued = card(operator, 'Queued', orderId);
    await queued.waitFor();
    await expect(queued.textContent()).resolves.toMatch(/PLA × 2/);
    await check(operator, 'board-queued');

    // the job page: assign it to a printer
    await queued.getByRole('link').click();
    await operator.getByRole('heading', { name: `Job ${orderId.slice(0, 8)}` }).waitFor();
    await operator.getByRole('combobox', { name: 'Printer' }).selectOption({ label: 'Prusa MINI+' });
    await operator.getByRole('button', { name: 'Assign' }).click();
    await operator.getByRole('alert').filter({ hasText: 'does not fit the build volume of printer "Prusa MINI+"' }).waitFor();
    await check(operator, 'job-refused');
    await operator.getByRole('combobox', { name: 'Printer' }).selectOption({ label: 'Prusa MK4 #1' });
    await operator.getByRole('button', { name: 'Assign' }).click();
    await operator.getByText('Assigned to Prusa MK4 #1.').first().waitFor();
    await operator.getByRole('link', { name: 'Production board' }).click();
    await expect(queued.textContent()).resolves.toContain('Prusa MK4 #1');
    // the printer's own view lists the job in its queue
    await operator.getByRole('link', { name: 'Printers' }).click();
    await operator.getByRole('link', { name: 'Prusa MK4 #1' }).click();
    await operator.getByRole('link', { name: orderId.slice(0, 8), exact: true }).waitFor();
    await check(operator, 'printer');
    await operator.getByRole('link', { name: 'Production board' }).click();

    for (let i = 1; i < stages.length; i++) {
      await card(operator, stages[i - 1] as string, orderId)
        .getByRole('button', { name: 'Advance' })
        .click();
      await card(operator, stages[i] as string, orderId).waitFor();
    }
    expect(await card(operator, 'Shipped', orderId).getByRole('button', { name: 'Advance' }).count()).toBe(0);
    expect(await operator.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    await customer
      .getByRole('status')
      .filter({ hasText: /^Shipped$/ })
      .waitFor();
    await check(operator, 'board-shipped');

    // the job page: history, lines, notes
    await card(operator, 'Shipped', orderId).getByRole('link').click();
    await operator.getByRole('heading', { name: `Job ${orderId.slice(0, 8)}` }).waitFor();
    await operator.getByRole('textbox', { name: 'Note' }).fill('Packed in the blue box.');
    await operator.getByRole('button', { name: 'Add note' }).click();
    await operator.getByText('Packed in the blue box.').waitFor();
    await check(operator, 'job');
  });

  it('moves a card with the keyboard, lets one of two operators advancing the same job win while the other sees the conflict, and moves the card on both boards live', async () => {
    const { orderId } = await customerOrder();
    const first = await newPage();
    const second = await newPage();
    // the second operator's board goes stale: what the gateway pushes to it is held back
    const pushes = await holdPushes(second);
    await Promise.all([logInToMes(first), logInToMes(second)]);
    await approve(orderId);
    await Promise.all([card(first, 'Queued', orderId).waitFor(), card(second, 'Queued', orderId).waitFor()]);

    pushes.holding = true;
    await card(first, 'Queued', orderId).getByRole('article').focus();
    await first.keyboard.press('a');
    await card(first, 'Printing', orderId).waitFor();
    // the second board still shows the job as queued, and its operator advances it too
    await card(second, 'Queued', orderId).getByRole('button', { name: 'Advance' }).click();
    await second
      .getByRole('alert')
      .filter({ hasText: `Someone else moved order ${orderId.slice(0, 8)} first` })
      .waitFor();
    // the stale card is refreshed: it stands where the job really is
    await card(second, 'Printing', orderId).waitFor();
    expect(await card(second, 'Queued', orderId).count()).toBe(0);
    await check(second, 'board-conflict');
    pushes.holding = false;

    // a move the customer does not see (Printing → Post-processing: "In production" both times) reaches
    // the other open board too, without a reload
    await second.evaluate(() => Object.assign(window, { __noReload: true }));
    await card(first, 'Printing', orderId).getByRole('button', { name: 'Advance' }).click();
    await card(first, 'Post-processing', orderId).waitFor();
    await card(second, 'Post-processing', orderId).waitFor();
    expect(await card(second, 'Printing', orderId).count()).toBe(0);
    expect(await second.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    const token = await staffToken('operator@fabline.dev');
    const { order } = await gql(url(), 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: orderId }, { token });
    expect(order.production.stage).toBe('POST_PROCESSING');
  });

  it('lets an admin add a printer, put it in maintenance and retire it', async () => {
    const page = await newPage();
    await logInToMes(page, 'admin@fabline.dev');
    await page.getByRole('link', { name: 'Printers' }).click();
    await page.getByRole('link', { name: 'Prusa MK4 #1' }).waitFor();
    const name = `Test printer ${Date.now()}`;
    await page.getByRole('textbox', { name: 'Name' }).fill(name);
    await page.getByRole('checkbox', { name: 'PLA' }).check();
    await page.getByRole('spinbutton', { name: 'Width (x)' }).fill('120');
    await page.getByRole('spinbutton', { name: 'Depth (y)' }).fill('110');
    await page.getByRole('spinbutton', { name: 'Height (z)' }).fill('100');
    await page.getByRole('button', { name: 'Add printer' }).click();
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { name }).waitFor();
    await check(page, 'printer-admin');
    await page.getByRole('combobox', { name: 'Status' }).selectOption({ label: 'Maintenance' });
    await page.getByRole('button', { name: 'Save printer' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Maintenance$/ })
      .waitFor();
    await page.getByRole('button', { name: 'Retire' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: /^Retired$/ })
      .waitFor();
    await page.getByRole('link', { name: 'All printers' }).click();
    await page.getByRole('row').filter({ hasText: name }).getByText('Retired').waitFor();
    await check(page, 'printers');
  });

  it('catches up after a dropped connection: a job moved while the board was offline moves when it is back', async () => {
    const { orderId } = await customerOrder();
    const page = await newPage();
    let refusing = false;
    let open: { close(options?: { code?: number; reason?: string }): Promise<void> } | undefined;
    await page.routeWebSocket(/\/graphql$/, (socket) => {
      if (refusing) {
        void socket.close({ code: 1001, reason: 'offline' });
        return;
      }
      const server = socket.connectToServer();
      socket.onMessage((message) => server.send(message));
      server.onMessage((message) => socket.send(message));
      open = socket;
    });
    await logInToMes(page);
    await approve(orderId);
    await card(page, 'Queued', orderId).waitFor();
    // the connection drops, and stays down while another operator moves the job
    refusing = true;
    await open?.close({ code: 1001, reason: 'network gone' });
    await page.getByRole('alert').filter({ hasText: 'connection to Fabline was lost' }).waitFor();
    const token = await staffToken('operator@fabline.dev');
    await gql(url(), 'mutation($id: ID!) { advanceProduction(orderId: $id, stage: PRINTING) { id } }', { id: orderId }, { token });
    expect(await card(page, 'Queued', orderId).count()).toBe(1);
    refusing = false;
    await card(page, 'Printing', orderId).waitFor({ timeout: 60_000 });
    await page.getByRole('alert').filter({ hasText: 'connection to Fabline was lost' }).waitFor({ state: 'detached' });
  });
});
