import { once } from 'node:events';
import { createServer } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubgraphFetcher, DEDUPE_HEADER } from '../src/perf/fetcher.ts';

// A subgraph that answers slowly enough for calls to overlap, and counts what reaches it.
const seen: Array<{ body: string; headers: Record<string, unknown> }> = [];
const server = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    seen.push({ body, headers: req.headers });
    setTimeout(() => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { n: seen.length } })), 50);
  });
});
let url = '';
const { fetcher, close } = createSubgraphFetcher();
const call = (body: string, viewer = 'anonymous') =>
  fetcher(url, { method: 'POST', headers: { 'content-type': 'application/json', [DEDUPE_HEADER]: viewer }, body }).then((r) => r.json());

beforeAll(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `http://127.0.0.1:${(server.address() as { port: number }).port}/graphql`;
});
afterAll(async () => {
  await close();
  server.close();
});

describe('subgraph fetcher', () => {
  it('makes one subgraph call for identical queries in flight, and gives each caller its own object', async () => {
    seen.length = 0;
    const query = JSON.stringify({ query: 'query{products{upc}}' });
    const [a, b, c] = await Promise.all([call(query), call(query), call(query)]);
    expect(seen).toHaveLength(1);
    expect(a).toEqual(b);
    expect(a).not.toBe(b);
    expect(c).toEqual(a);
    expect(seen[0]?.headers[DEDUPE_HEADER]).toBeUndefined();
  });

  it('never shares mutations, nor queries made for different viewers', async () => {
    seen.length = 0;
    const mutation = JSON.stringify({ query: 'mutation{placeOrder{id}}' });
    await Promise.all([call(mutation), call(mutation)]);
    expect(seen).toHaveLength(2);
    const query = JSON.stringify({ query: 'query{viewer{id}}' });
    await Promise.all([call(query, 'CUSTOMER:1'), call(query, 'CUSTOMER:2')]);
    expect(seen).toHaveLength(4);
  });

  it('calls again once the first answer is in', async () => {
    seen.length = 0;
    const query = JSON.stringify({ query: '{materials{code}}' });
    await call(query);
    await call(query);
    expect(seen).toHaveLength(2);
  });
});
