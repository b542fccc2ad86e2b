import { INTERNAL_HEADER, signInternalToken, userTokenExpiresAt, type Viewer, verifyUserToken } from '@fabline/shared/auth';
import { requestError } from '@fabline/shared/errors';
import type { Request } from 'express';
import type { GatewayEnv } from './env.ts';

export interface ViewerResolverOptions {
  env: Pick<GatewayEnv, 'JWT_SECRET' | 'INTERNAL_SECRET' | 'CRM_URL' | 'API_KEY_CACHE_MS'>;
}

/**
 * Who is calling: a Bearer token (verified here, never by subgraphs), a partner API key
 * (verified by crm, remembered for a minute), or nobody. A bad credential is an error, not
 * anonymity, and a request carrying both kinds is refused (400 BAD_REQUEST).
 * Resolves the caller of a request (or of a subscription's credentials shaped as one).
 */
export type ResolveViewer = (req: Request) => Promise<Viewer | null>;

/** Credentials (API keys, user tokens) remembered per process, each kind (≈ 10,000 × a few hundred bytes). */
const MAX_REMEMBERED = 10_000;

/** Viewers of verified credentials, each until a time; only successes are stored, so a refusal is asked again. */
function rememberedViewers() {
  const entries = new Map<string, { viewer: Viewer; until: number }>();
  return {
    get(credential: string): Viewer | undefined {
      const known = entries.get(credential);
      return known && known.until > Date.now() ? known.viewer : undefined;
    },
    set(credential: string, viewer: Viewer, until: number) {
      if (entries.size >= MAX_REMEMBERED) entries.clear();
      entries.set(credential, { viewer, until });
    },
  };
}

export function createViewerResolver({ env }: ViewerResolverOptions): ResolveViewer {
  const apiKeys = rememberedViewers();
  const verifyUrl = new URL('/internal/api-keys/verify', env.CRM_URL);

  async function verifyApiKey(key: string, requestId: string): Promise<Viewer> {
    const known = apiKeys.get(key);
    if (known) return known;
    let response: Response;
    try {
      response = await fetch(verifyUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [INTERNAL_HEADER]: await signInternalToken({ viewer: null, requestId }, env.INTERNAL_SECRET) },
        body: JSON.stringify({ key }),
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      throw requestError('SERVICE_UNAVAILABLE', 'API keys cannot be verified right now; try again shortly');
    }
    if (response.status === 404) throw requestError('UNAUTHENTICATED', 'Unknown or revoked API key');
    if (!response.ok) throw requestError('SERVICE_UNAVAILABLE', 'API keys cannot be verified right now; try again shortly');
    const { viewer: verified, plan } = (await response.json()) as { viewer: Viewer; plan?: string };
    const viewer: Viewer = plan ? { ...verified, plan } : verified;
    apiKeys.set(key, viewer, Date.now() + env.API_KEY_CACHE_MS);
    return viewer;
  }

  /**
   * Tokens verified before, until they expire: the same bytes carry the same valid signature, and an
   * HMAC check through WebCrypto costs a thread-pool round trip (~0.2 ms) that a cache hit otherwise
   * would not. Only successes are kept; an expired entry is verified again, and refused as expired.
   */
  const verifiedTokens = rememberedViewers();
  async function verifyBearer(token: string): Promise<Viewer> {
    const known = verifiedTokens.get(token);
    if (known) return known;
    const viewer = await verifyUserToken(token, env.JWT_SECRET);
    // verifyUserToken refuses a token without `exp`; the fallback only keeps the type honest
    verifiedTokens.set(token, viewer, userTokenExpiresAt(token) ?? Date.now());
    return viewer;
  }

  async function resolve(req: Request): Promise<Viewer | null> {
    const authorization = req.headers.authorization;
    const apiKey = req.headers['x-api-key'];
    // one request, one principal: whoever is charged and authorized must be the one verified
    if (authorization && apiKey !== undefined) {
      throw requestError('BAD_REQUEST', 'Send either "Authorization: Bearer <token>" or "X-Api-Key: <key>", not both');
    }
    if (authorization) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization);
      if (!match?.[1]) throw requestError('UNAUTHENTICATED', 'Authorization must be "Bearer <token>"');
      return verifyBearer(match[1]);
    }
    if (typeof apiKey === 'string' && apiKey) return verifyApiKey(apiKey, req.id);
    return null;
  }

  // the response cache's fast path and Apollo's context both ask: the token is verified once per request
  const resolved = new WeakMap<Request, Promise<Viewer | null>>();
  return function resolveViewer(req: Request): Promise<Viewer | null> {
    let viewer = resolved.get(req);
    if (!viewer) {
      viewer = resolve(req);
      resolved.set(req, viewer);
    }
    return viewer;
  };
}
