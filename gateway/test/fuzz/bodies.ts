import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { GeneratedOperation } from './documents.ts';
import type { WireRequest } from './wire.ts';

// How generated operations, raw JSON bodies and GraphQL multipart requests go on the wire.

/** Who sends a request: filled in by the suite once it has signed a customer up. */
export type Caller = 'anonymous' | 'customer' | 'bad-token' | 'bad-api-key';
export const callerArbitrary = fc.constantFrom<Caller>('anonymous', 'anonymous', 'customer', 'bad-token', 'bad-api-key');

export const credentials = { customerToken: '' };

export function authHeaders(caller: Caller): Record<string, string> {
  switch (caller) {
    case 'customer':
      return { authorization: `Bearer ${credentials.customerToken}` };
    case 'bad-token':
      return { authorization: 'Bearer not.a.token' };
    case 'bad-api-key':
      return { 'x-api-key': 'fbl_not_a_key' };
    default:
      return {};
  }
}

const json = (value: unknown) => Buffer.from(JSON.stringify(value));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const ACCEPT = ['application/json', 'application/graphql-response+json', 'text/event-stream', 'multipart/mixed; deferSpec=20220824', '*/*', 'text/html'];

export type Transport = 'post' | 'get' | 'batch' | 'apq';

/** One generated operation as a POST, a GET with a query string, a batch, or an APQ request. */
export const operationRequestArbitrary = (operations: fc.Arbitrary<GeneratedOperation>) =>
  fc
    .record({
      operation: operations,
      transport: fc.constantFrom<Transport>('post', 'post', 'post', 'get', 'batch', 'apq'),
      caller: callerArbitrary,
      accept: fc.option(fc.constantFrom(...ACCEPT), { nil: undefined }),
      batchSize: fc.integer({ min: 1, max: 12 }),
      apq: fc.constantFrom('right', 'wrong', 'hash-only', 'bad-version'),
    })
    .map(({ operation, transport, caller, accept, batchSize, apq }): WireRequest => {
      const headers: Record<string, string> = { ...authHeaders(caller), ...(accept ? { accept } : {}) };
      const body = {
        query: operation.query,
        variables: operation.variables,
        ...('operationName' in operation ? { operationName: operation.operationName } : {}),
      };
      if (transport === 'get') {
        const params = new URLSearchParams({ query: operation.query, variables: JSON.stringify(operation.variables) });
        if (typeof operation.operationName === 'string') params.set('operationName', operation.operationName);
        // a GET needs no preflight header when it carries one of the headers csrfPrevention asks for
        const path = `/graphql?${params}`;
        // Node refuses a request head over 16 KB with a 431 and closes: a client still writing may see a reset
        return { method: 'GET', path, headers: { ...headers, 'apollo-require-preflight': 'true' }, oversized: path.length > 16 * 1024 };
      }
      headers['content-type'] = 'application/json';
      if (transport === 'batch') return { method: 'POST', path: '/graphql', headers, body: json(Array(batchSize).fill(body)) };
      if (transport === 'apq') {
        const hash = apq === 'wrong' ? sha256(`${operation.query} `) : sha256(operation.query);
        const persistedQuery = { version: apq === 'bad-version' ? 2 : 1, sha256Hash: hash };
        const { query: _query, ...rest } = body;
        return {
          method: 'POST',
          path: '/graphql',
          headers,
          body: json(apq === 'hash-only' ? { ...rest, extensions: { persistedQuery } } : { ...body, extensions: { persistedQuery } }),
        };
      }
      return { method: 'POST', path: '/graphql', headers, body: json(body) };
    });

const VALID_BODY = '{"query":"query($c: String!) { material(code: $c) { code } }","variables":{"c":"PLA"}}';

/** Raw POST bodies: truncated, not objects, odd numbers, duplicate keys, deep arrays, wrong content types. */
export const rawJsonRequestArbitrary: fc.Arbitrary<WireRequest> = fc
  .record({
    body: fc.oneof(
      fc.nat({ max: VALID_BODY.length }).map((cut) => VALID_BODY.slice(0, cut)),
      fc.constantFrom('null', 'true', '42', '"{ materials { code } }"', '[]', '[1,2]', '[[]]', '[null]', '{}', '{"query":null}', '{"query":5}'),
      fc.constantFrom(
        '{"query":"{ materials { code } }","query":"{ viewer { id } }"}',
        '{"query":"{ materials { code } }","variables":"{}"}',
        '{"query":"{ materials { code } }","variables":[1]}',
        '{"query":"{ materials { code } }","extensions":"x"}',
        '{"query":"{ materials { code } }","extensions":{"persistedQuery":"x"}}',
        '{"query":"{ materials { code } }","operationName":{"a":1}}',
        '{"query":"query($n: Int) { myOrders(first: $n) { edges { cursor } } }","variables":{"n":1e400}}',
        '{"query":"query($n: Int) { myOrders(first: $n) { edges { cursor } } }","variables":{"n":-1e400}}',
        '{"query":"query($n: Int) { myOrders(first: $n) { edges { cursor } } }","variables":{"n":123456789012345678901234567890}}',
        '{"query":"{ materials { code } }","variables":{"__proto__":{"x":1}}}',
        '\ufeff{"query":"{ materials { code } }"}',
        '{"query":"{ materials { code } }\\u0000"}',
        '{"query":"{ materials { code } }"}\u0000',
        '{"query":"\ud800"}',
      ),
      fc.integer({ min: 1, max: 200_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
      fc
        .integer({ min: 1, max: 100_000 })
        .map((depth) => `{"query":"query($v: [String]) { __typename }","variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`),
      fc.integer({ min: 1, max: 60_000 }).map((depth) => `{"query":"{ __typename }","extensions":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`),
      fc.constantFrom(1_100_000, 5_000_000).map((size) => `{"query":"{ __typename }","pad":"${'x'.repeat(size)}"}`),
    ),
    contentType: fc.constantFrom(
      'application/json',
      'application/json',
      'application/json',
      'application/json',
      'application/json',
      'application/json; charset=utf-8',
      'application/json; charset=latin1',
      'application/graphql',
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data',
      'application/graphql-response+json',
      undefined,
    ),
    preflight: fc.boolean(),
    caller: callerArbitrary,
    chunked: fc.boolean(),
  })
  .map(({ body, contentType, preflight, caller, chunked }): WireRequest => {
    const bytes = Buffer.from(body, 'utf8');
    const headers: Record<string, string> = { ...authHeaders(caller) };
    if (contentType) headers['content-type'] = contentType;
    if (preflight) headers['apollo-require-preflight'] = 'true';
    if (chunked) headers['transfer-encoding'] = 'chunked';
    else headers['content-length'] = String(bytes.length);
    return { method: 'POST', path: '/graphql', headers, body: bytes, oversized: bytes.length > 1024 * 1024 };
  });
