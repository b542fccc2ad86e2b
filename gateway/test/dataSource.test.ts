import { RemoteGraphQLDataSource } from '@apollo/gateway';
import { describe, expect, it } from 'vitest';
import { FablineDataSource } from '../src/dataSource.ts';

// FablineDataSource replaces RemoteGraphQLDataSource's private sendRequest (dataSource.ts): what
// reaches the fetcher must be what Apollo's own would send, and what comes back must be read alike.

type Call = { url: string; init: { method?: string; headers?: Record<string, string>; body?: string } };

function fetcher(calls: Call[], status = 200, body = '{"data":{"a":1}}') {
  return (async (url: string, init: Call['init']) => {
    calls.push({ url, init });
    const headers = new Map([
      ['content-type', 'application/json'],
      ['cache-control', 'max-age=30, public'],
    ]);
    return {
      ok: status >= 200 && status < 300,
      status,
      statusText: '',
      url,
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null },
      text: async () => body,
      json: async () => JSON.parse(body),
    };
  }) as unknown as RemoteGraphQLDataSource['fetcher'];
}

const options = (query: string) => {
  const policy: { hints: unknown[]; restrict(hint: unknown): void } = { hints: [], restrict: (hint) => policy.hints.push(hint) };
  return {
    policy,
    value: {
      kind: 'incoming operation',
      request: { query, variables: { x: 1 }, operationName: 'Q' },
      context: { viewer: null, requestId: 'r1' },
      incomingRequestContext: { request: { http: { headers: new Map() } }, overallCachePolicy: policy },
      document: undefined,
      pathInIncomingRequest: [],
    } as unknown as Parameters<RemoteGraphQLDataSource['process']>[0],
  };
};

describe("FablineDataSource's subgraph call", () => {
  it("sends Apollo's body and headers and reads the answer and its cache hint as Apollo does", async () => {
    const apolloCalls: Call[] = [];
    const ourCalls: Call[] = [];
    const apollo = new RemoteGraphQLDataSource({ url: 'http://subgraph.test/graphql', fetcher: fetcher(apolloCalls) });
    const ours = new FablineDataSource('http://subgraph.test/graphql', 'a-secret-of-enough-length-0123456789', fetcher(ourCalls));
    const a = options('query Q($x: Int) { a(x: $x) }');
    const b = options('query Q($x: Int) { a(x: $x) }');
    const apolloAnswer = await apollo.process(a.value);
    const ourAnswer = await ours.process(b.value as never);
    expect(ourCalls[0]?.url).toBe(apolloCalls[0]?.url);
    expect(ourCalls[0]?.init.method).toBe(apolloCalls[0]?.init.method);
    expect(ourCalls[0]?.init.body).toBe(apolloCalls[0]?.init.body);
    // Fabline adds its own headers (the internal token, the dedupe key); Apollo's are all there, alike
    const ourHeaders = ourCalls[0]?.init.headers ?? {};
    for (const [name, value] of Object.entries(apolloCalls[0]?.init.headers ?? {})) expect(ourHeaders[name], name).toBe(value);
    expect(Object.keys(ourHeaders).every((name) => name === name.toLowerCase())).toBe(true);
    expect(ourHeaders['x-fabline-internal']).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect({ data: ourAnswer.data, errors: ourAnswer.errors }).toEqual({ data: apolloAnswer.data, errors: apolloAnswer.errors });
    expect(b.policy.hints).toEqual(a.policy.hints);
  });

  it("turns a non-2xx answer into Apollo's error", async () => {
    const apollo = new RemoteGraphQLDataSource({ url: 'http://subgraph.test/graphql', fetcher: fetcher([], 503, 'down') });
    const ours = new FablineDataSource('http://subgraph.test/graphql', 'a-secret-of-enough-length-0123456789', fetcher([], 503, 'down'));
    const reference = await apollo.process(options('{ a }').value).catch((error: Error) => error);
    const answer = await ours.process(options('{ a }').value as never).catch((error: Error) => error);
    expect(answer).toBeInstanceOf(Error);
    expect({ message: (answer as Error).message, extensions: (answer as { extensions?: unknown }).extensions }).toEqual({
      message: (reference as Error).message,
      extensions: (reference as { extensions?: unknown }).extensions,
    });
  });
});
