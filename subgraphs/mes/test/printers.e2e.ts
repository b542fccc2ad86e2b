import { randomBytes } from 'node:crypto';
import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cube, toBinaryStl } from '../src/geometry/synthetic.ts';

// Printers through the gateway: the seeded machines, assigning jobs that fit (material and build
// volume), a printer's queue with its print time, admins managing printers, and two operators
// advancing the same job. Orders are approved automatically (CRM_AUTO_APPROVE) to reach the MES.
let stack: Stack;
let url: string;
const PARTNER = { apiKey: 'fbl_demo_partner_0001' };
const staff = { operator: { token: '' }, admin: { token: '' }, manager: { token: '' } };
let customer = { token: '' };
const tag = randomBytes(3).toString('hex');

const codeOf = (result: { errors?: { extensions?: { code?: string } }[] }) => result.errors?.[0]?.extensions?.code;
const messageOf = (result: { errors?: { message: string }[] }) => result.errors?.[0]?.message ?? '';
const logIn = async (email: string) =>
  (await gql(url, 'mutation($e: String!) { logIn(email: $e, password: "fabline-demo-2026") { token } }', { e: email })).logIn.token as string;

/** A box of x × y × z mm (a stretched cube), as a binary STL. */
function box(x: number, y: number, z: number) {
  const tris = cube(1);
  for (let i = 0; i < tris.length; i += 3) {
    tris[i] = (tris[i] as number) * x;
    tris[i + 1] = (tris[i + 1] as number) * y;
    tris[i + 2] = (tris[i + 2] as number) * z;
  }
  return toBinaryStl(tris, `box ${x}x${y}x${z}`);
}

/** Places an order for one model and waits until it is QUEUED in production; returns the order and its quote's estimate. */
async function queuedOrder(name: string, bytes: Uint8Array, material: string) {
  const uploaded = await uploadFile(url, 'mutation($file: Upload!) { uploadModel(file: $file) { id } }', { name, bytes }, customer);
  const { requestQuote: quote } = await gql(
    url,
    'mutation($i: QuoteInput!) { requestQuote(input: $i) { id status estimatedPrintSeconds analysis { boundingBox { xMm yMm zMm } } } }',
    { i: { modelId: uploaded.data?.uploadModel.id, material, quantity: 1 } },
    customer,
  );
  expect(quote.status).toBe('READY');
  const { placeOrder } = await gql(url, 'mutation($i: PlaceOrderInput!) { placeOrder(input: $i) { id } }', { i: { items: [{ quoteId: quote.id }] } }, customer);
  await eventually(async () => {
    const { order } = await gql(url, 'query($id: ID!) { order(id: $id) { production { stage } } }', { id: placeOrder.id }, staff.operator);
    return order.production?.stage === 'QUEUED' ? true : undefined;
  });
  return { id: placeOrder.id as string, quote };
}

const PRINTERS = '{ printers { id name technology status retired materials { code } buildVolume { xMm yMm zMm } } }';
const ASSIGN = 'mutation($o: ID!, $p: ID!) { assignPrinter(orderId: $o, printerId: $p) { id production { stage printer { id name } } } }';
const QUEUE = `query($id: ID!) { printer(id: $id) { name queue { totalCount estimatedPrintSeconds jobs { position stage estimatedPrintSeconds assignedAt order { id } } } } }`;
const ADVANCE = 'mutation($o: ID!, $s: ProductionStage!) { advanceProduction(orderId: $o, stage: $s) { id production { stage } } }';
type Printer = { id: string; name: string; technology: string; materials: { code: string }[]; buildVolume: { xMm: number; yMm: number; zMm: number } };
const printers: Record<string, Printer> = {};

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', QUOTE_WAIT_MS: '15000', CRM_AUTO_APPROVE: 'true' } });
  url = stack.urls.gateway;
  staff.operator.token = await logIn('operator@fabline.dev');
  staff.admin.token = await logIn('admin@fabline.dev');
  staff.manager.token = await logIn('manager@fabline.dev');
  const { signUp } = await gql(url, 'mutation($i: SignUpInput!) { signUp(input: $i) { token } }', {
    i: { email: `printing-${tag}@example.com`, password: 'correct horse battery', name: 'Pia' },
  });
  customer = { token: signUp.token };
  for (const printer of (await gql<{ printers: Printer[] }>(url, PRINTERS, {}, staff.operator)).printers) printers[printer.name] = printer;
});
afterAll(async () => {
  await stack?.stop();
});

describe('printers', () => {
  it('are seeded, with what they print and how large, for operators and admins', async () => {
    expect(Object.keys(printers)).toEqual(['Bambu X1E', 'Form 4', 'Fuse 1+', 'Prusa MINI+', 'Prusa MK4 #1']);
    expect(printers['Prusa MK4 #1']).toMatchObject({
      technology: 'FDM',
      materials: [{ code: 'PLA' }, { code: 'PETG' }],
      buildVolume: { xMm: 250, yMm: 210, zMm: 220 },
    });
    const resin = await gql(url, '{ printers(material: "resin") { name technology } }', {}, staff.admin);
    expect(resin.printers).toEqual([{ name: 'Form 4', technology: 'SLA' }]);
  });

  it('are refused to customers, managers and partners, and to the anonymous', async () => {
    for (const who of [customer, staff.manager]) {
      expect(codeOf(await graphql(url, PRINTERS, {}, who))).toBe('FORBIDDEN');
      expect(codeOf(await graphql(url, 'query($id: ID!) { printer(id: $id) { name } }', { id: printers['Form 4']?.id }, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await graphql(url, PRINTERS))).toBe('UNAUTHENTICATED');
    const partner = await graphql(url, '{ printers { name } }', {}, PARTNER);
    expect(partner.status).toBe(400);
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});

describe('assigning jobs to printers', () => {
  it('puts jobs that fit on a printer, refuses with the reason those that do not, and keeps the queue in order with its print time', async () => {
    const mk4 = printers['Prusa MK4 #1'] as Printer;
    const mini = printers['Prusa MINI+'] as Printer;
    const big = await queuedOrder('big.stl', stlCube(200), 'PLA');
    expect(big.quote.analysis.boundingBox).toEqual({ xMm: 200, yMm: 200, zMm: 200 });
    // 240 mm along y: too deep for the MK4 as it lies, fits turned about z (210 × 250)
    const long = await queuedOrder('long.stl', box(200, 240, 20), 'PETG');
    const abs = await queuedOrder('abs.stl', stlCube(30), 'ABS');

    const tooBig = await graphql(url, ASSIGN, { o: big.id, p: mini.id }, staff.operator);
    expect(codeOf(tooBig)).toBe('BAD_USER_INPUT');
    expect(messageOf(tooBig)).toBe(
      `The model of quote ${big.quote.id} (200 × 200 × 200 mm) does not fit the build volume of printer "Prusa MINI+" (180 × 180 × 180 mm)`,
    );
    const wrongMaterial = await graphql(url, ASSIGN, { o: abs.id, p: mk4.id }, staff.operator);
    expect(codeOf(wrongMaterial)).toBe('BAD_USER_INPUT');
    expect(messageOf(wrongMaterial)).toBe('Printer "Prusa MK4 #1" cannot print ABS; it prints PLA, PETG');
    const tipped = await graphql(url, ASSIGN, { o: big.id, p: printers['Fuse 1+']?.id }, staff.operator);
    expect(messageOf(tipped)).toMatch(/cannot print PLA/);

    const first = await gql(url, ASSIGN, { o: big.id, p: mk4.id }, staff.operator);
    expect(first.assignPrinter.production).toEqual({ stage: 'QUEUED', printer: { id: mk4.id, name: 'Prusa MK4 #1' } });
    const second = await gql(url, ASSIGN, { o: long.id, p: mk4.id }, staff.admin);
    expect(second.assignPrinter.production.printer.name).toBe('Prusa MK4 #1');

    const { printer } = await gql(url, QUEUE, { id: mk4.id }, staff.operator);
    expect(printer.queue.jobs.map((j: { position: number; order: { id: string }; stage: string }) => [j.position, j.order.id, j.stage])).toEqual([
      [1, big.id, 'QUEUED'],
      [2, long.id, 'QUEUED'],
    ]);
    expect(printer.queue.totalCount).toBe(2);
    expect(printer.queue.estimatedPrintSeconds).toBe(big.quote.estimatedPrintSeconds + long.quote.estimatedPrintSeconds);
    expect(printer.queue.jobs[1].estimatedPrintSeconds).toBe(long.quote.estimatedPrintSeconds);

    // the job being printed comes first and stays on its printer; a job that left the printer leaves its queue
    await gql(url, ADVANCE, { o: long.id, s: 'PRINTING' }, staff.operator);
    const printing = await gql(url, QUEUE, { id: mk4.id }, staff.operator);
    expect(printing.printer.queue.jobs.map((j: { order: { id: string }; stage: string }) => [j.order.id, j.stage])).toEqual([
      [long.id, 'PRINTING'],
      [big.id, 'QUEUED'],
    ]);
    const STATUS = 'query($id: ID!) { printer(id: $id) { status } }';
    expect((await gql(url, STATUS, { id: mk4.id }, staff.operator)).printer.status).toBe('PRINTING');
    const moveWhilePrinting = await graphql(url, ASSIGN, { o: long.id, p: printers['Bambu X1E']?.id }, staff.operator);
    expect(codeOf(moveWhilePrinting)).toBe('BAD_USER_INPUT');
    await gql(url, ADVANCE, { o: long.id, s: 'POST_PROCESSING' }, staff.operator);
    expect((await gql(url, STATUS, { id: mk4.id }, staff.operator)).printer.status).toBe('IDLE');
    const after = await gql(url, QUEUE, { id: mk4.id }, staff.operator);
    expect(after.printer.queue).toMatchObject({
      totalCount: 1,
      estimatedPrintSeconds: big.quote.estimatedPrintSeconds,
      jobs: [{ position: 1, order: { id: big.id } }],
    });
  });

  it('is refused to customers and partners, and a customer may not see which printer runs their order', async () => {
    const job = await queuedOrder('mine.stl', stlCube(10), 'PLA');
    const mk4 = printers['Prusa MK4 #1'] as Printer;
    expect(codeOf(await graphql(url, ASSIGN, { o: job.id, p: mk4.id }, customer))).toBe('FORBIDDEN');
    expect(codeOf(await graphql(url, ASSIGN, { o: job.id, p: mk4.id }, staff.manager))).toBe('FORBIDDEN');
    const partner = await graphql(url, 'mutation($o: ID!, $p: ID!) { assignPrinter(orderId: $o, printerId: $p) { id } }', { o: job.id, p: mk4.id }, PARTNER);
    expect(codeOf(partner)).toBe('GRAPHQL_VALIDATION_FAILED');
    await gql(url, ASSIGN, { o: job.id, p: mk4.id }, staff.operator);
    const seen = await graphql(url, 'query($id: ID!) { order(id: $id) { production { stage printer { name } } } }', { id: job.id }, customer);
    expect(codeOf(seen)).toBe('FORBIDDEN');
    expect((seen.data as { order: { production: { stage: string; printer: null } } }).order.production).toEqual({ stage: 'QUEUED', printer: null });
  });
});

describe('advancing production', () => {
  it('lets one of two operators advancing the same job win; the other, and anyone later with the same move, gets CONFLICT', async () => {
    const job = await queuedOrder('race.stl', stlCube(11), 'PLA');
    const results = await Promise.all(
      [staff.operator, staff.admin].map((who) =>
        graphql<{ advanceProduction: { production: { stage: string } } }>(url, ADVANCE, { o: job.id, s: 'PRINTING' }, who),
      ),
    );
    expect(results.map((r) => (r.errors ? codeOf(r) : r.data?.advanceProduction.production.stage)).sort()).toEqual(['CONFLICT', 'PRINTING']);
    // a stale board sends the move it saw: the same stage again is someone else's move, not a bad request
    const stale = await graphql(url, ADVANCE, { o: job.id, s: 'PRINTING' }, staff.operator);
    expect(codeOf(stale)).toBe('CONFLICT');
    expect(messageOf(stale)).toMatch(/already PRINTING/);
    // skipping a stage is still the client's mistake
    expect(codeOf(await graphql(url, ADVANCE, { o: job.id, s: 'READY' }, staff.operator))).toBe('BAD_USER_INPUT');
  });
});

describe('managing printers', () => {
  const CREATE =
    'mutation($i: CreatePrinterInput!) { createPrinter(input: $i) { id name technology status retired materials { code } buildVolume { xMm yMm zMm } } }';
  const UPDATE =
    'mutation($id: ID!, $i: UpdatePrinterInput!) { updatePrinter(id: $id, input: $i) { id name status materials { code } buildVolume { xMm yMm zMm } } }';
  const RETIRE = 'mutation($id: ID!) { retirePrinter(id: $id) { id retired retiredAt } }';
  const input = { name: `Voron ${tag}`, technology: 'FDM', materials: ['pla', 'ABS', 'PLA'], buildVolume: { xMm: 120, yMm: 120, zMm: 120 } };

  it('lets admins add, edit and retire printers', async () => {
    const { createPrinter } = await gql(url, CREATE, { i: input }, staff.admin);
    expect(createPrinter).toMatchObject({ name: `Voron ${tag}`, status: 'IDLE', retired: false, materials: [{ code: 'PLA' }, { code: 'ABS' }] });
    expect(codeOf(await graphql(url, CREATE, { i: input }, staff.admin))).toBe('CONFLICT');
    const unknown = await graphql(url, CREATE, { i: { ...input, name: `Other ${tag}`, materials: ['UNOBTAINIUM'] } }, staff.admin);
    expect(codeOf(unknown)).toBe('BAD_USER_INPUT');
    expect(messageOf(unknown)).toMatch(/Unknown material UNOBTAINIUM/);
    expect(codeOf(await graphql(url, CREATE, { i: { ...input, name: `Zero ${tag}`, buildVolume: { xMm: 0, yMm: 10, zMm: 10 } } }, staff.admin))).toBe(
      'BAD_USER_INPUT',
    );

    const job = await queuedOrder('voron.stl', stlCube(130), 'ABS');
    expect(messageOf(await graphql(url, ASSIGN, { o: job.id, p: createPrinter.id }, staff.operator))).toMatch(/does not fit/);
    const { updatePrinter } = await gql(
      url,
      UPDATE,
      { id: createPrinter.id, i: { buildVolume: { xMm: 300, yMm: 300, zMm: 300 }, status: 'MAINTENANCE' } },
      staff.admin,
    );
    expect(updatePrinter).toMatchObject({ name: `Voron ${tag}`, status: 'MAINTENANCE', buildVolume: { xMm: 300, yMm: 300, zMm: 300 } });
    await gql(url, ASSIGN, { o: job.id, p: createPrinter.id }, staff.operator);

    // narrowing it while the job is on it is refused; widening it is not
    const narrower = await graphql(url, UPDATE, { id: createPrinter.id, i: { materials: ['PLA'] } }, staff.admin);
    expect(codeOf(narrower)).toBe('BAD_USER_INPUT');
    expect(messageOf(narrower)).toBe(
      `Order ${job.id} is on this printer and would no longer fit (Printer "Voron ${tag}" cannot print ABS; it prints PLA); assign it to another printer first`,
    );
    expect(codeOf(await graphql(url, UPDATE, { id: createPrinter.id, i: { buildVolume: { xMm: 300, yMm: 300, zMm: 100 } } }, staff.admin))).toBe(
      'BAD_USER_INPUT',
    );
    await gql(url, UPDATE, { id: createPrinter.id, i: { materials: ['ABS', 'PETG'] } }, staff.admin);

    const busy = await graphql(url, RETIRE, { id: createPrinter.id }, staff.admin);
    expect(codeOf(busy)).toBe('BAD_USER_INPUT');
    expect(messageOf(busy)).toMatch(/still has 1 job/);
    await gql(url, ASSIGN, { o: job.id, p: printers['Bambu X1E']?.id }, staff.operator);
    const { retirePrinter } = await gql(url, RETIRE, { id: createPrinter.id }, staff.admin);
    expect(retirePrinter.retired).toBe(true);
    expect((await gql(url, RETIRE, { id: createPrinter.id }, staff.admin)).retirePrinter.retiredAt).toBe(retirePrinter.retiredAt);
    const names = (await gql<{ printers: Printer[] }>(url, PRINTERS, {}, staff.operator)).printers.map((p) => p.name);
    expect(names).not.toContain(`Voron ${tag}`);
    const all = await gql(url, '{ printers(includeRetired: true) { name retired } }', {}, staff.operator);
    expect(all.printers).toContainEqual({ name: `Voron ${tag}`, retired: true });
    const retired = await graphql(url, ASSIGN, { o: job.id, p: createPrinter.id }, staff.operator);
    expect(messageOf(retired)).toBe(`Printer "Voron ${tag}" is retired; choose another`);
  });

  it('is for admins only', async () => {
    const id = printers['Form 4']?.id;
    for (const who of [staff.operator, staff.manager, customer]) {
      expect(codeOf(await graphql(url, CREATE, { i: { ...input, name: `Sneaky ${tag}` } }, who))).toBe('FORBIDDEN');
      expect(codeOf(await graphql(url, UPDATE, { id, i: { name: 'Renamed' } }, who))).toBe('FORBIDDEN');
      expect(codeOf(await graphql(url, RETIRE, { id }, who))).toBe('FORBIDDEN');
    }
    expect(codeOf(await graphql(url, RETIRE, { id }))).toBe('UNAUTHENTICATED');
    expect(codeOf(await graphql(url, RETIRE, { id }, PARTNER))).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await gql(url, 'query($id: ID!) { printer(id: $id) { name retired } }', { id }, staff.operator)).printer).toEqual({
      name: 'Form 4',
      retired: false,
    });
  });
});
