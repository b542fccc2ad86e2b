import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import { Agent } from 'undici';

type Fetcher = RemoteGraphQLDataSource['fetcher'];
type FetcherResponse = Awaited<ReturnType<Fetcher>>;

/** Set by the data source to say who asks (viewer), so only requests made for the same viewer are shared; never sent. */
export const DEDUPE_HEADER = 'x-fabline-dedupe-key';

export interface SubgraphFetcherOptions {
  /**
   * Kept-alive connections per subgraph origin: enough for the gateway's concurrency, bounded so
   * a burst cannot open thousands of sockets.
   * @default 128
   */
  connections?: number;
  /** How long an idle connection stays open. @default 30_000 */
  keepAliveMs?: number;
  /** Share one subgraph call between identical queries in flight for the same viewer. @default true */
  dedupe?: boolean;
}

interface RawResponse {
  url: string;
  status: number;
  headers: ResponseHeaders;
  text: string;
}

/**
 * A subgraph response's headers as undici gives them (names in lower case), read through the
 * `get`/`has`/iteration of WHATWG `Headers`: building a validated `Headers` object for every
 * subgraph response showed in profiles, and the data source only ever asks for one or two by name.
 */
class ResponseHeaders {
  constructor(private readonly raw: Record<string, string | string[] | undefined>) {}

  get(name: string): string | null {
    const value = this.raw[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.raw[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.raw).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  *keys(): IterableIterator<string> {
    for (const [name] of this.entries()) yield name;
  }

  *values(): IterableIterator<string> {
    for (const [, value] of this.entries()) yield value;
  }

  forEach(callback: (value: string, name: string) => void): void {
    for (const [name, value] of this.entries()) callback(value, name);
  }

  [Symbol.iterator]() {
    return this.entries();
  }
}

/**
 * The subgraph fetcher for `RemoteGraphQLDataSource`: undici's connection pool with keep-alive
 * instead of Apollo's default make-fetch-happen (whose per-request agent lookup, minipass
 * streams and cache logic cost more than the subgraph call), plus in-flight deduplication.
 *
 * Deduplication shares the response text, never the parsed object: the gateway merges later
 * fetches into the objects it parsed, so each caller parses its own copy. Only queries are
 * shared, never mutations, and only between callers with the same DEDUPE_HEADER value; the
 * subgraph sees the first caller's internal token (its request id).
 */
export function createSubgraphFetcher({ connections = 128, keepAliveMs = 30_000, dedupe = true }: SubgraphFetcherOptions = {}) {
  const agent = new Agent({ connections, keepAliveTimeout: keepAliveMs, keepAliveMaxTimeout: keepAliveMs });
  const targets = new Map<string, { origin: string; path: string }>();
  const inFlight = new Map<string, Promise<RawResponse>>();

  const target = (url: string) => {
    let t = targets.get(url);
    if (!t) {
      const parsed = new URL(url);
      t = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
      targets.set(url, t);
    }
    return t;
  };

  async function send(url: string, headers: Record<string, string>, method: string, body: string | Buffer | undefined): Promise<RawResponse> {
    const { origin, path } = target(url);
    const response = await agent.request({ origin, path, method: method as 'POST', headers, body });
    const text = await response.body.text();
    return { url, status: response.statusCode, headers: new ResponseHeaders(response.headers), text };
  }

  const fetcher = (async (url, init = {}) => {
    const { [DEDUPE_HEADER]: viewerKey, ...headers } = init.headers ?? {};
    const method = init.method ?? 'GET';
    const body = init.body;
    if (!dedupe || viewerKey === undefined || typeof body !== 'string' || !isQuery(body)) {
      return toResponse(await send(url, headers, method, body));
    }
    const key = `${url}\n${viewerKey}\n${body}`;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = send(url, headers, method, body).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return toResponse(await pending);
  }) as Fetcher;

  return { fetcher, close: () => agent.close() };
}

// The data source serialises `{"query": …}` first; the gateway prints subgraph operations as `query …` or `{…}`.
const isQuery = (body: string) => body.startsWith('{"query":"query') || body.startsWith('{"query":"{');

function toResponse(raw: RawResponse): FetcherResponse {
  const response: FetcherResponse = {
    bodyUsed: false,
    url: raw.url,
    redirected: false,
    status: raw.status,
    ok: raw.status >= 200 && raw.status < 300,
    statusText: '',
    headers: raw.headers as unknown as FetcherResponse['headers'],
    text: async () => raw.text,
    json: async () => JSON.parse(raw.text),
    arrayBuffer: async () => new TextEncoder().encode(raw.text).buffer as ArrayBuffer,
    clone: () => toResponse(raw),
  };
  return response;
}
