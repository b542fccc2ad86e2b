// The Apollo Client every app uses: HTTP with persisted queries (ids from the manifest, which holds
// exactly the bodies this client prints), graphql-ws for subscriptions (the token in connection_init,
// never in a URL), one error link that ends the session on UNAUTHENTICATED or close code 4401.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { ErrorLink } from '@apollo/client/link/error';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { GraphQLWsLink } from '@apollo/client/link/subscriptions';
import { getMainDefinition, print } from '@apollo/client/utilities';
import { OperationTypeNode } from 'graphql';
import { type Client, createClient } from 'graphql-ws';

export interface CreateApolloClientOptions {
  /** Where the gateway answers HTTP. @default '/graphql' (same origin: the app's server proxies it) */
  httpUrl?: string;
  /** Where the gateway answers WebSocket. @default the same path on the page's origin, ws: or wss: */
  wsUrl?: string;
  /** The current session's token, read for every request and every (re)connection. */
  getToken(): string | null;
  /** The gateway refused the token (UNAUTHENTICATED, or close code 4401 on the socket). */
  onUnauthenticated(): void;
  /** The socket lost or regained its connection (to show an offline banner). */
  onConnectionChange?(connected: boolean): void;
  /** Operation name → persisted-query id (web/ui/src/generated/persisted-query-ids.json). */
  persistedQueryIds: Readonly<Record<string, string>>;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** @default globalThis.WebSocket */
  webSocketImpl?: unknown;
  /** Options for the cache (type policies). */
  cache?: InMemoryCache;
}

export interface FablineClient {
  client: ApolloClient;
  /** The subscription socket (lazy: it opens with the first subscription). */
  socket: Client;
  /** Clears the cache and closes the socket: what logging out does. */
  reset(): Promise<void>;
}

async function sha256(text: string) {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** A `fetch` that copies the `Retry-After` header of a refusal into its errors' extensions. */
function withRetryAfter(fetchImpl: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await fetchImpl(input, init);
    const retryAfter = response.headers.get('retry-after');
    if (!retryAfter || response.ok) return response;
    const text = await response.text();
    let body = text;
    try {
      const parsed = JSON.parse(text) as { errors?: { extensions?: Record<string, unknown> }[] };
      for (const error of parsed.errors ?? []) error.extensions = { ...error.extensions, retryAfterSeconds: Number(retryAfter) };
      body = JSON.stringify(parsed);
    } catch {
      // not JSON: hand it on as it came
    }
    return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

export function defaultWsUrl(path = '/graphql') {
  const { protocol, host } = globalThis.location;
  return `${protocol === 'https:' ? 'wss:' : 'ws:'}//${host}${path}`;
}

export function createApolloClient(options: CreateApolloClientOptions): FablineClient {
  const authorization = (): Record<string, string> => {
    const token = options.getToken();
    return token ? { authorization: `Bearer ${token}` } : {};
  };
  const socket = createClient({
    url: options.wsUrl ?? defaultWsUrl(),
    connectionParams: () => authorization(),
    webSocketImpl: options.webSocketImpl,
    retryAttempts: Number.POSITIVE_INFINITY,
    // a refused token is final for this session: logging in again opens a new socket
    shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && event.code === 4401),
    on: {
      connected: () => options.onConnectionChange?.(true),
      closed: (event) => {
        const code = event && typeof event === 'object' && 'code' in event ? event.code : undefined;
        if (code === 4401) options.onUnauthenticated();
        // 1000: closed normally (nothing left to listen to); 4499: terminated by log-out
        else if (code !== 1000 && code !== 4499) options.onConnectionChange?.(false);
      },
    },
  });

  const errorLink = new ErrorLink(({ error }) => {
    if (CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'UNAUTHENTICATED')) options.onUnauthenticated();
  });
  const persisted = new PersistedQueryLink({
    generateHash: (document) => {
      const definition = getMainDefinition(document);
      const id = definition.name ? options.persistedQueryIds[definition.name.value] : undefined;
      return id ?? sha256(print(document));
    },
  });
  const http = new HttpLink({
    uri: options.httpUrl ?? '/graphql',
    fetch: withRetryAfter(options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
  });
  const auth = new ApolloLink((operation, forward) => {
    operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({ headers: { ...headers, ...authorization() } }));
    return forward(operation);
  });
  const isSubscription = ({ query }: ApolloLink.Operation) => {
    const definition = getMainDefinition(query);
    return definition.kind === 'OperationDefinition' && definition.operation === OperationTypeNode.SUBSCRIPTION;
  };
  const link = ApolloLink.from([errorLink, ApolloLink.split(isSubscription, new GraphQLWsLink(socket), ApolloLink.from([auth, persisted, http]))]);
  const client = new ApolloClient({ link, cache: options.cache ?? new InMemoryCache() });
  return {
    client,
    socket,
    async reset() {
      // terminate, not dispose: a socket a server stopped answering must not hold the log-out
      socket.terminate();
      await client.clearStore();
    },
  };
}
