import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eventually, gql, graphql, type Stack, scrapeCounter, startStack, stlCube, uploadFile } from '@fabline/dev';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Uploads through the gateway URL with the multipart requests apollo-upload-client sends.
let stack: Stack;
let url: string;
let dataDir: string;
let tempDir: string;
const LIMIT = 256 * 1024;

const UPLOAD = 'mutation($file: Upload!) { uploadModel(file: $file) { id filename sizeBytes sha256 format } }';
const ANALYSIS = `query($id: ID!) { model(id: $id) { id analysis { status failureCode failureReason
  geometry { volumeCm3 surfaceAreaCm2 triangleCount watertight geometryHash } } } }`;
const QUOTE =
  'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status needsReview analysis { volumeCm3 triangleCount watertight geometryHash } } }';
/** Files up to this size are analysed at upload; larger ones at their first quote. */
const ANALYSIS_LIMIT = 4096;

const signUp = async (name: string) => {
  const email = `u${Date.now()}${Math.random().toString(36).slice(2, 8)}@example.com`;
  const result = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token viewer { id } } }', {
    input: { email, password: 'correct horse battery', name },
  });
  return { token: result.signUp.token as string, id: result.signUp.viewer.id as string };
};

/** Every file under `dir`, as paths relative to it. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));
const storedModels = () => filesUnder(dataDir).filter((path) => !path.startsWith('logs/'));

/** Geometry analyses the price worker has computed so far. */
const analysesComputed = async () => (await scrapeCounter(`${stack.workerUrl}/metrics`, 'fabline_quote_analyses_total', 'service'))['price-worker'] ?? 0;

async function modelRows(ownerId: string) {
  const client = new pg.Client({ connectionString: stack.databaseUrls.shop });
  await client.connect();
  try {
    const { rows } = await client.query('SELECT id FROM models WHERE owner_id = $1', [ownerId]);
    return rows.length;
  } finally {
    await client.end();
  }
}

/** A text OBJ of about `bytes` bytes: a valid format, for size tests. */
const bigObj = (bytes: number) => new TextEncoder().encode(`v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n${'# padding line\n'.repeat(Math.ceil(bytes / 15))}`);

beforeAll(async () => {
  tempDir = mkdtempSync(join(tmpdir(), 'fabline-upload-tmp-'));
  stack = await startStack({
    env: {
      LOG_LEVEL: 'warn',
      MAX_UPLOAD_BYTES: String(LIMIT),
      MAX_UPLOAD_FILES: '1',
      TMPDIR: tempDir,
      ANALYSIS_MAX_BYTES: String(ANALYSIS_LIMIT),
      QUOTE_WAIT_MS: '15000',
    },
  });
  url = stack.urls.gateway;
  dataDir = stack.env.DATA_DIR as string;
});
afterAll(async () => {
  await stack?.stop();
  rmSync(tempDir, { recursive: true, force: true });
});

describe('uploadModel through the gateway', () => {
  it('stores the file, reports its size, hash and format, and writes no temporary file', async () => {
    const customer = await signUp('Uma Uploader');
    const stl = stlCube(20);
    const result = await uploadFile(url, UPLOAD, { name: 'cube.stl', bytes: stl }, customer);
    expect(result.errors).toBeUndefined();
    expect(result.data?.uploadModel).toMatchObject({ filename: 'cube.stl', sizeBytes: stl.byteLength, format: 'STL' });
    const { createHash } = await import('node:crypto');
    expect(result.data?.uploadModel.sha256).toBe(createHash('sha256').update(stl).digest('hex'));
    // neither the gateway nor the shop spooled the file to the temp directory (tsx keeps its compile cache there)
    expect(filesUnder(tempDir).filter((path) => !path.startsWith('tsx-'))).toEqual([]);
  });

  it('returns the existing model for the same bytes from the same customer and stores nothing new', async () => {
    const customer = await signUp('Dora Dedupe');
    const bytes = stlCube(17);
    const first = await uploadFile(url, UPLOAD, { name: 'a.stl', bytes }, customer);
    const before = storedModels().length;
    const second = await uploadFile(url, UPLOAD, { name: 'renamed.stl', bytes }, customer);
    expect(second.data?.uploadModel.id).toBe(first.data?.uploadModel.id);
    expect(storedModels().length).toBe(before);
    expect(await modelRows(customer.id)).toBe(1);
    // another customer with the same bytes gets a model of their own
    const other = await signUp('Otto Other');
    const third = await uploadFile(url, UPLOAD, { name: 'a.stl', bytes }, other);
    expect(third.data?.uploadModel.id).not.toBe(first.data?.uploadModel.id);
  });

  it('answers 413 PAYLOAD_TOO_LARGE for a file over the limit and keeps nothing', async () => {
    const customer = await signUp('Lars Large');
    const before = storedModels();
    const result = await uploadFile(url, UPLOAD, { name: 'big.obj', bytes: bigObj(LIMIT + 50_000) }, customer);
    expect(result.status).toBe(413);
    expect(result.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(result.errors?.[0]?.message).toContain(String(LIMIT));
    await sleep(300);
    expect(storedModels()).toEqual(before);
    expect(await modelRows(customer.id)).toBe(0);
  });

  it('answers 413 for more files than allowed, before reading them', async () => {
    const customer = await signUp('Fritz Files');
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'], 1: ['variables.file'] }));
    form.append('0', new Blob([stlCube(10)]), 'a.stl');
    form.append('1', new Blob([stlCube(11)]), 'b.stl');
    const response = await fetch(url, {
      method: 'POST',
      body: form,
      headers: { 'apollo-require-preflight': 'true', authorization: `Bearer ${customer.token}` },
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
    expect(body.errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect(body.errors[0]?.message).toContain('At most 1 file');
  });

  it('refuses a file that is not STL, OBJ or 3MF by its content, whatever its name', async () => {
    const customer = await signUp('Penny PNG');
    const before = storedModels();
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(500).fill(0)]);
    const result = await uploadFile(url, UPLOAD, { name: 'model.stl', bytes: png }, customer);
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(result.errors?.[0]?.message).toMatch(/STL, OBJ or 3MF/);
    expect(storedModels()).toEqual(before);
    expect(await modelRows(customer.id)).toBe(0);
  });

  it('still needs the CSRF preflight header for multipart requests', async () => {
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: UPLOAD, variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([stlCube(10)]), 'a.stl');
    const response = await fetch(url, { method: 'POST', body: form });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/i);
  });

  it('keeps no partial object and no row when the client disconnects mid-upload', async () => {
    const customer = await signUp('Abe Aborter');
    const before = storedModels();
    const boundary = '----fablineabort';
    const head =
      `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: UPLOAD, variables: { file: null } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="half.obj"\r\nContent-Type: model/obj\r\n\r\n`;
    const target = new URL(url);
    const req = request({
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'apollo-require-preflight': 'true',
        authorization: `Bearer ${customer.token}`,
        'content-length': String(head.length + 200_000),
      },
    });
    req.on('error', () => {});
    req.write(head);
    req.write(bigObj(100_000));
    // the shop has started writing: a temporary object exists while the body is incomplete
    await eventually(async () => (storedModels().some((path) => path.startsWith('tmp/')) ? true : undefined), { timeoutMs: 10_000 });
    req.destroy();
    await eventually(async () => (storedModels().length === before.length ? true : undefined), { timeoutMs: 10_000 });
    expect(storedModels()).toEqual(before);
    expect(await modelRows(customer.id)).toBe(0);
    // both processes are still serving
    const after = await graphql(url, '{ materials { code } }');
    expect(after.status).toBe(200);
  });

  it('gives the owner and staff an expiring download link, and another customer nothing', async () => {
    const owner = await signUp('Olga Owner');
    const bytes = stlCube(23);
    const uploaded = await uploadFile(url, UPLOAD, { name: 'mine.stl', bytes }, owner);
    const id = uploaded.data?.uploadModel.id as string;
    const MODEL = 'query($id: ID!) { model(id: $id) { id downloadUrl } }';

    const mine = await gql(url, MODEL, { id }, owner);
    const link = new URL(mine.model.downloadUrl);
    expect(link.origin).toBe(new URL(url).origin);
    const download = await fetch(link);
    expect(download.status).toBe(200);
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(bytes);

    const stranger = await signUp('Sam Stranger');
    const theirs = await graphql(url, MODEL, { id }, stranger);
    expect(theirs.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(theirs)).not.toContain('/files/');

    const manager = (await gql(url, 'mutation { logIn(email: "manager@fabline.dev", password: "fabline-demo-2026") { token } }')).logIn.token as string;
    const staff = await gql(url, MODEL, { id }, { token: manager });
    expect((await fetch(staff.model.downloadUrl)).status).toBe(200);

    // a link whose signature or expiry was changed is refused
    const forged = new URL(link);
    forged.searchParams.set('expires', String(Number(link.searchParams.get('expires')) + 3600));
    expect((await fetch(forged)).status).toBe(403);
  });

  it('takes a very large file by a signed PUT link, then registers it with the same checks', async () => {
    const customer = await signUp('Dirk Direct');
    const CREATE = 'mutation { createUploadUrl { uploadId url method maxBytes expiresAt } }';
    const COMPLETE = 'mutation($id: ID!, $name: String!) { completeUpload(uploadId: $id, filename: $name) { id filename sizeBytes sha256 format } }';
    const bytes = stlCube(31);

    const { createUploadUrl: target } = await gql(url, CREATE, {}, customer);
    expect(target).toMatchObject({ method: 'PUT', maxBytes: LIMIT });
    expect((await fetch(target.url, { method: 'PUT', body: bytes })).status).toBe(200);
    const { completeUpload: model } = await gql(url, COMPLETE, { id: target.uploadId, name: 'direct.stl' }, customer);
    expect(model).toMatchObject({ filename: 'direct.stl', sizeBytes: bytes.byteLength, format: 'STL' });
    expect(storedModels().some((path) => path.startsWith('incoming/'))).toBe(false);

    // the same bytes again: the same model; completing a used id finds nothing
    const again = (await gql(url, CREATE, {}, customer)).createUploadUrl;
    await fetch(again.url, { method: 'PUT', body: bytes });
    expect((await gql(url, COMPLETE, { id: again.uploadId, name: 'copy.stl' }, customer)).completeUpload.id).toBe(model.id);
    const reused = await graphql(url, COMPLETE, { id: again.uploadId, name: 'copy.stl' }, customer);
    expect(reused.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    // a wrong format is refused and removed; a file over the limit is refused at the PUT
    const bad = (await gql(url, CREATE, {}, customer)).createUploadUrl;
    await fetch(bad.url, { method: 'PUT', body: new Uint8Array(400).fill(7) });
    expect((await graphql(url, COMPLETE, { id: bad.uploadId, name: 'x.stl' }, customer)).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = (await gql(url, CREATE, {}, customer)).createUploadUrl;
    expect((await fetch(big.url, { method: 'PUT', body: bigObj(LIMIT + 10_000) })).status).toBe(413);
    expect(storedModels().some((path) => path.startsWith('incoming/') || path.startsWith('tmp/'))).toBe(false);

    // another customer cannot complete someone else's upload id
    const other = await signUp('Ivo Intruder');
    const mine = (await gql(url, CREATE, {}, customer)).createUploadUrl;
    await fetch(mine.url, { method: 'PUT', body: stlCube(32) });
    expect((await graphql(url, COMPLETE, { id: mine.uploadId, name: 'stolen.stl' }, other)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('analyses the geometry after the upload answered, shows it on the model, and prices a first quote without a job', async () => {
    const customer = await signUp('Ana Analysis');
    const uploaded = await uploadFile(url, UPLOAD, { name: 'cube.stl', bytes: stlCube(25) }, customer);
    const id = uploaded.data?.uploadModel.id as string;
    const analysis = await eventually(async () => {
      const { model } = await gql(url, ANALYSIS, { id }, customer);
      return model.analysis.status === 'PENDING' ? undefined : model.analysis;
    });
    // a 25 mm cube: 15.625 cm³, 6 × 6.25 cm², 12 triangles, closed
    expect(analysis).toMatchObject({
      status: 'READY',
      failureReason: null,
      geometry: { volumeCm3: 15.625, surfaceAreaCm2: 37.5, triangleCount: 12, watertight: true },
    });

    // the quote reads the stored analysis: no geometry is computed again
    const before = await analysesComputed();
    const { requestQuote } = await gql(url, QUOTE, { input: { modelId: id, material: 'PLA', quantity: 1 } }, customer);
    expect(requestQuote).toMatchObject({ status: 'READY', analysis: { volumeCm3: 15.625, geometryHash: analysis.geometry.geometryHash } });
    expect(await analysesComputed()).toBe(before);
  });

  it('leaves a model over ANALYSIS_MAX_BYTES to its first quote, and never caches it as PENDING', async () => {
    const customer = await signUp('Lars Large');
    const uploaded = await uploadFile(url, UPLOAD, { name: 'big.obj', bytes: bigObj(ANALYSIS_LIMIT * 2) }, customer);
    const id = uploaded.data?.uploadModel.id as string;
    const pending = await graphql<{ model: { analysis: unknown } }>(url, ANALYSIS, { id }, customer);
    expect(pending.data?.model.analysis).toMatchObject({ status: 'PENDING', geometry: null });
    expect(pending.headers.get('cache-control')).toBe('no-store');

    const { requestQuote } = await gql(url, QUOTE, { input: { modelId: id, material: 'PLA', quantity: 1 } }, customer);
    // one triangle is not a closed solid: priced, flagged for review
    expect(requestQuote).toMatchObject({ status: 'READY', needsReview: true, analysis: { triangleCount: 1, watertight: false } });
    const { model } = await gql(url, ANALYSIS, { id }, customer);
    expect(model.analysis).toMatchObject({ status: 'READY', geometry: { triangleCount: 1, watertight: false } });
  });

  it('shows why a file that is not a usable mesh failed its analysis', async () => {
    const customer = await signUp('Nina NaN');
    const cube = Buffer.from(stlCube(10));
    cube.writeFloatLE(Number.NaN, 84 + 12); // first vertex of the first triangle
    const uploaded = await uploadFile(url, UPLOAD, { name: 'nan.stl', bytes: cube }, customer);
    const id = uploaded.data?.uploadModel.id as string;
    const analysis = await eventually(async () => {
      const { model } = await gql(url, ANALYSIS, { id }, customer);
      return model.analysis.status === 'PENDING' ? undefined : model.analysis;
    });
    expect(analysis).toMatchObject({ status: 'FAILED', geometry: null, failureCode: expect.any(String), failureReason: expect.stringMatching(/NaN|finite/i) });
  });

  it('answers a caller who may not upload at once, without waiting for the whole file', async () => {
    const started = Date.now();
    const result = await uploadFile(url, UPLOAD, { name: 'anon.obj', bytes: bigObj(LIMIT - 10_000) });
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(Date.now() - started).toBeLessThan(10_000);
    // the gateway and shop still take uploads afterwards
    const customer = await signUp('Nina Next');
    expect((await uploadFile(url, UPLOAD, { name: 'ok.stl', bytes: stlCube(12) }, customer)).errors).toBeUndefined();
  });
});
