import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, graphql, type Stack, startStack } from '@fabline/dev';
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fragmentBomb } from './fragmentBomb.ts';

// What a client may send by mistake or in malice, through real gateways (response cache and its
// fast path on, and off), compared where it matters with plain @apollo/gateway on the same subgraphs.
let stack: Stack;
let uncached: string;
let plain: ChildProcess | undefined;
let plainUrl: string;

/** A raw POST of `body` exactly as given (invalid JSON included); the answer's status, content type and parsed body. */
async function post(url: string, body: string) {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  const text = await response.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = { text };
  }
  return { status: response.status, type: response.headers.get('content-type') ?? '', body: json };
}
const send = (url: string, query: string, variables?: unknown, extra: Record<string, unknown> = {}) =>
  post(url, JSON.stringify({ query, variables, ...extra }));

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'warn', COST_BUDGETS: '{"default":100000}' } });
  uncached = (await stack.spawnExtra('gateway', { CACHE_ENABLED: 'false' })).url;
  const port = await freePort();
  plain = spawn(process.execPath, ['--import', 'tsx', 'bench/plainGateway.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: { ...process.env, ...stack.env, GATEWAY_PORT: String(port), LOG_LEVEL: 'warn' },
    stdio: 'ignore',
  });
  plainUrl = `http://127.0.0.1:${port}/`;
  for (
    let i = 0;
    !(await graphql(plainUrl, '{ __typename }').then(
      (r) => !!r.data,
      () => false,
    ));
    i++
  ) {
    if (i > 400) throw new Error('the plain gateway did not start');
    await sleep(150);
  }
});
afterAll(async () => {
  plain?.kill('SIGTERM');
  await stack?.stop();
});

const MATERIALS = '{ materials { code } }';

describe.each([
  ['the response cache on', () => stack.urls.gateway],
  ['the response cache off', () => uncached],
])('client mistakes are 400s with a code and a sentence, %s', (_name, gateway) => {
  let url: string;
  beforeAll(async () => {
    url = gateway();
    // a cached answer: the cache's fast path now reads request bodies before express does
    for (let i = 0; i < 2; i++) expect((await send(url, MATERIALS)).status).toBe(200);
  });

  it('a body that is not JSON', async () => {
    const answer = await post(url, '{"query":"{ materials { code } }"');
    expect(answer.status).toBe(400);
    expect(answer.type).toMatch(/application\/json/);
    expect(answer.body.errors[0]).toMatchObject({ message: expect.stringMatching(/JSON/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('a variable nested 5,000 levels deep', async () => {
    const deep = `${'['.repeat(5000)}1${']'.repeat(5000)}`;
    const answer = await post(url, `{"query":"query ($v: [Int]) { materials { code } }","variables":{"v":${deep}}}`);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ message: 'The request nests values more than 100 levels deep', extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('an Int variable of 1e400', async () => {
    const answer = await post(url, '{"query":"query ($n: Int) { myOrders(first: $n) { edges { node { id } } } }","variables":{"n":1e400}}');
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ message: expect.stringMatching(/Int cannot represent/), extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('a NUL character in a string argument or variable', async () => {
    for (const answer of [
      await send(url, '{ material(code: "a\\u0000b") { code } }'),
      await send(url, 'query ($c: String!) { material(code: $c) { code } }', { c: 'a\u0000b' }),
    ]) {
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({ message: expect.stringMatching(/NUL/), extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('an operation name that names no operation, or none for a document of several', async () => {
    const unknown = await send(url, 'query A { __typename } query B { __typename }', undefined, { operationName: 'C' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0]).toMatchObject({ message: 'Unknown operation named "C".', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
    const unnamed = await send(url, 'query A { __typename } query B { __typename }');
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.errors[0].extensions.code).toBe('OPERATION_RESOLUTION_FAILURE');
    const anonymous = await send(url, '{ __typename } { __typename }');
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('an APQ hash that does not match its query', async () => {
    const answer = await send(url, MATERIALS, undefined, {
      extensions: { persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('other').digest('hex') } },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({ message: 'provided sha does not match query', extensions: { code: 'BAD_REQUEST' } });
  });

  it('fragments spreading each other twice (2^30 fields once inlined) are refused at once, deep, wide or at the root', async () => {
    const refusals = [
      [fragmentBomb(30, 'Material', 'code', '{ materials { ...F0 } }'), 'MAX_FIELDS_LIMIT'],
      [fragmentBomb(30, 'Material', 'code name pricePerKg { amount }', '{ materials { ...F0 ...F0 ...F0 } }'), 'MAX_FIELDS_LIMIT'],
      [fragmentBomb(30, 'Query', '__typename', '{ ...F0 }'), 'MAX_ROOT_FIELDS_LIMIT'],
    ] as const;
    for (const [query, code] of refusals) {
      const answer = await send(url, query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].extensions.code).toBe(code);
    }
    // what would hold the event loop in graphql-js's validation (every pair of same-named fields compared) is refused before it
    const repeat = (n: number, text: string) => Array.from({ length: n }, () => text).join(' ');
    for (const query of [
      `{ ${repeat(350, '... { a: materials { code } }')} }`,
      `{ ${repeat(40, `a: materials { ${repeat(10, 'p: pricePerKg { amount }')} }`)} }`,
    ]) {
      const answer = await send(url, query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({
        extensions: { code: 'MAX_FIELDS_LIMIT' },
        message: expect.stringMatching(/times in one place; at most 50/),
      });
    }
    // within the bound (2^13 copies of two fields) it runs, and answers as one copy would
    const within = await send(url, fragmentBomb(13, 'Material', 'code name', '{ materials { ...F0 } }'));
    expect(within.body.errors).toBeUndefined();
    expect(within.body.data.materials[0]).toEqual({ code: expect.any(String), name: expect.any(String) });
  });
});

describe('what plain @apollo/gateway answers, the gateway answers', () => {
  const same = async (query: string, variables?: Record<string, unknown>) => {
    const expected = await send(plainUrl, query, variables);
    for (const url of [stack.urls.gateway, stack.urls.gateway, uncached]) {
      const answer = await send(url, query, variables);
      expect({ status: answer.status, body: answer.body }).toEqual({ status: expected.status, body: expected.body });
    }
    return expected;
  };

  it('@include and @skip whose variable has a default value, sent or not', async () => {
    const include = 'query ($b: Boolean = false) { materials { code name @include(if: $b) } }';
    expect((await same(include)).body.data.materials[0]).not.toHaveProperty('name');
    expect((await same(include, { b: true })).body.data.materials[0]).toHaveProperty('name');
    await same('query ($s: Boolean = true) { materials { code ... on Material @skip(if: $s) { name } } }');
    await same('query Q($b: Boolean = false) { materials { code ...M @include(if: $b) } } fragment M on Material { name pricePerKg { amount } }');
    await same('query ($n: Int = 2, $b: Boolean = true) { myOrders(first: $n) @include(if: $b) { edges { node { id } } } }');
  });

  it('invalid variables: the same 400 BAD_USER_INPUT', async () => {
    const missing = await same('query ($b: Boolean!) { materials { code @include(if: $b) } }');
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await same('query ($b: Boolean = false) { materials { code @skip(if: $b) } }', { b: 'yes' })).status).toBe(400);
  });

  it("graphql-js's standard introspection query, allowed where introspection is; a hand-made deep one is refused", async () => {
    const standard = await same(getIntrospectionQuery());
    expect(standard.status).toBe(200);
    expect(standard.body.data.__schema.types.length).toBeGreaterThan(10);
    const abuse = await send(stack.urls.gateway, `{ __type(name: "Order") { name ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`);
    expect(abuse.status).toBe(400);
    expect(abuse.body.errors[0]).toMatchObject({ extensions: { code: 'MAX_DEPTH_LIMIT' }, message: expect.stringMatching(/introspection 42 levels deep/) });
  });
});
