import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { eventually, gql, graphql, type Stack, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// What the image runs: the bundles of infra/deploy/build.mjs, started with plain `node`, no transpiler.
const root = new URL('../../../', import.meta.url).pathname;
let outdir: string;
let stack: Stack;

beforeAll(async () => {
  outdir = mkdtempSync(`${tmpdir()}/fabline-dist-`);
  const build = spawnSync(process.execPath, [`${root}infra/deploy/build.mjs`, outdir], { encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  // ANALYSIS_MAX_BYTES 0: the quote is priced by the price worker's job, not at upload
  stack = await startStack({ built: outdir, env: { QUOTE_WAIT_MS: '15000', ANALYSIS_MAX_BYTES: '0' } });
});
afterAll(async () => {
  await stack?.stop();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the production build', () => {
  it('has one bundle per process of the image', () => {
    expect(readdirSync(outdir).filter((f) => !f.startsWith('chunk-') && f.endsWith('.mjs'))).toEqual(
      ['crm.mjs', 'gateway.mjs', 'mes.mjs', 'price-worker.mjs', 'setup-databases.mjs', 'shop.mjs', 'web.mjs'].sort(),
    );
  });

  it('runs every process with plain node, each ready on /readyz', async () => {
    for (const [name, child] of stack.processes) {
      expect(child.spawnargs.slice(1), name).toEqual([expect.stringMatching(new RegExp(`^${outdir}/[a-z-]+\\.mjs$`))]);
    }
    for (const url of [stack.urls.gateway, stack.urls.shop, stack.urls.crm, stack.urls.mes]) {
      expect((await fetch(new URL('/readyz', url))).status, url).toBe(200);
    }
    expect((await fetch(`${stack.workerUrl}/readyz`)).status).toBe(200);
  });

  it('sets up (migrates) the databases with the setup bundle, as the Job does', () => {
    const setup = spawnSync(process.execPath, [`${outdir}/setup-databases.mjs`], {
      env: { ...process.env, ...stack.env, NODE_ENV: 'production', LOG_LEVEL: 'error' },
      encoding: 'utf8',
    });
    expect(setup.status, setup.stderr).toBe(0);
  });

  it('answers across the subgraphs and prices a model on the price worker', async () => {
    const materials = await gql<{ materials: { code: string }[] }>(stack.urls.gateway, '{ materials { code } }');
    expect(materials.materials.map((m) => m.code)).toContain('PLA');
    const signUp = await gql(stack.urls.gateway, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email: `built-${Date.now()}@example.com`, password: 'correct horse battery', name: 'Bea Built' },
    });
    const customer = { token: signUp.signUp.token as string };
    const upload = await uploadFile<{ uploadModel: { id: string } }>(
      stack.urls.gateway,
      'mutation Upload($file: Upload!) { uploadModel(file: $file) { id } }',
      { name: 'built.stl', bytes: stlCube(12) },
      customer,
    );
    const modelId = upload.data?.uploadModel.id;
    expect(modelId, JSON.stringify(upload.errors)).toBeTruthy();
    const quote = await graphql<{ requestQuote: { id: string; status: string } }>(
      stack.urls.gateway,
      'mutation($input: QuoteInput!) { requestQuote(input: $input) { id status } }',
      { input: { modelId, material: 'PLA', quantity: 1 } },
      customer,
    );
    const id = quote.data?.requestQuote.id;
    expect(id, JSON.stringify(quote.errors)).toBeTruthy();
    const ready = await eventually(
      async () => {
        const { quote: current } = await gql(stack.urls.gateway, 'query($id: ID!) { quote(id: $id) { status price { amount } } }', { id }, customer);
        return current?.status === 'READY' ? current : undefined;
      },
      { timeoutMs: 30_000 },
    );
    expect(Number(ready.price.amount)).toBeGreaterThan(0);
  });
});
