const tokens = new WeakMap<object, { token: Promise<string>; at: number }>();

/**
 * One signed internal token per gateway request, shared by all its subgraph calls while it is
 * fresh: signing (HMAC through WebCrypto) for each of a query plan's fetches showed in profiles.
 * The token lives 60 s; past `freshMs` a new one is signed so a slow request never sends a stale one.
 */
export function requestToken(request: object, sign: () => Promise<string>, freshMs = 30_000): Promise<string> {
  const now = Date.now();
  const hit = tokens.get(request);
  if (hit && now - hit.at < freshMs) return hit.token;
  const token = sign();
  tokens.set(request, { token, at: now });
  token.catch(() => tokens.delete(request));
  return token;
}

/** Who a subgraph call is made for, as the fetcher's deduplication key. */
export const viewerKey = (viewer: { id: string; role: string } | null) => (viewer ? `${viewer.role}:${viewer.id}` : 'anonymous');
