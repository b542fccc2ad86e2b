import { createHmac, createSecretKey, type KeyObject } from 'node:crypto';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import { requestError, userError } from './errors.ts';

export const ROLES = ['CUSTOMER', 'MANAGER', 'OPERATOR', 'PARTNER', 'ADMIN'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling. `null` viewer means anonymous. */
export interface Viewer {
  id: string;
  role: Role;
  /** A partner's plan (from its API key); only the gateway knows it, for budgets. */
  plan?: string;
}

/** Header the gateway sets on every subgraph request; subgraphs trust nothing else. */
export const INTERNAL_HEADER = 'x-fabline-internal';

const ISSUER = 'fabline';
const USER_AUDIENCE = 'fabline-api';
const INTERNAL_AUDIENCE = 'fabline-subgraph';
const keyCache = new Map<string, Uint8Array>();
const key = (secret: string) => {
  let k = keyCache.get(secret);
  if (!k) {
    k = new TextEncoder().encode(secret);
    keyCache.set(secret, k);
  }
  return k;
};

const isRole = (value: unknown): value is Role => typeof value === 'string' && (ROLES as readonly string[]).includes(value);
/** Account ids are UUIDs: a token naming anything else names no account. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user session token (issued at sign-up and log-in). */
export async function signUserToken(viewer: Viewer, secret: string, ttl = '12h'): Promise<string> {
  return new SignJWT({ role: viewer.role })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(viewer.id)
    .setIssuer(ISSUER)
    .setAudience(USER_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key(secret));
}

/**
 * Verifies a user token; throws UNAUTHENTICATED naming what is wrong with it. A token must
 * expire (`exp`) and name an account id (`sub`, a UUID) and a role.
 */
export async function verifyUserToken(token: string, secret: string): Promise<Viewer> {
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: USER_AUDIENCE, algorithms: ['HS256'], requiredClaims: ['exp', 'sub'] });
    if (!payload.sub || !UUID.test(payload.sub) || !isRole(payload.role))
      throw requestError('UNAUTHENTICATED', 'Token lacks an account id or a role; log in again');
    return { id: payload.sub, role: payload.role };
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw requestError('UNAUTHENTICATED', 'Token expired; log in again');
    if (error instanceof joseErrors.JWTClaimValidationFailed && error.claim === 'exp')
      throw requestError('UNAUTHENTICATED', 'Token never expires; log in again for a token that does');
    if (error instanceof joseErrors.JOSEError)
      throw requestError('UNAUTHENTICATED', 'Invalid token; send a token from logIn as "Authorization: Bearer <token>"');
    throw error;
  }
}

/** When a token already verified by `verifyUserToken` stops being valid (ms since the epoch); null only for tokens it refuses. */
export function userTokenExpiresAt(token: string): number | null {
  const { exp } = decodeJwt(token);
  return typeof exp === 'number' ? exp * 1000 : null;
}

/** What the gateway asserts about a request: the viewer (or none) and the request id. */
export interface InternalClaims {
  viewer: Viewer | null;
  requestId?: string;
  /** The client's IP as the gateway saw it, for per-IP limits in subgraphs. */
  ip?: string;
}

/** Signed by the gateway, valid for one minute, so a header replayed later or forged by a client is refused. */
/** The HMAC key of each secret, made once: node:crypto converted a byte array into a key on every signature (1 % of the gateway's CPU). */
const hmacKeys = new Map<string, KeyObject>();
const hmacKey = (secret: string) => {
  let k = hmacKeys.get(secret);
  if (!k) {
    k = createSecretKey(key(secret));
    hmacKeys.set(secret, k);
  }
  return k;
};

/** `{"alg":"HS256"}`, the JWS header jose writes for these tokens. */
const INTERNAL_HEADER_B64 = Buffer.from(JSON.stringify({ alg: 'HS256' })).toString('base64url');

/**
 * A 60 s HS256 JWT naming the viewer, signed with node:crypto's HMAC: the gateway signs one per
 * request, and jose's WebCrypto signing (a promise through the thread pool each time) was 3 % of
 * its CPU in bench:federation. The token is the compact JWS jose would write (same header and
 * claims; auth.test.ts verifies it with jose), and subgraphs verify it with jose as before.
 */
export async function signInternalToken(claims: InternalClaims, secret: string): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    role: claims.viewer?.role,
    rid: claims.requestId,
    ip: claims.ip,
    iss: ISSUER,
    aud: INTERNAL_AUDIENCE,
    iat: now,
    exp: now + 60,
    ...(claims.viewer ? { sub: claims.viewer.id } : {}),
  };
  const input = `${INTERNAL_HEADER_B64}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}`;
  return `${input}.${createHmac('sha256', hmacKey(secret)).update(input).digest('base64url')}`;
}

export async function verifyInternalToken(token: string | undefined, secret: string): Promise<InternalClaims> {
  if (!token) throw requestError('UNAUTHENTICATED', 'Subgraphs accept requests only from the Fabline gateway');
  try {
    const { payload } = await jwtVerify(token, key(secret), { issuer: ISSUER, audience: INTERNAL_AUDIENCE, algorithms: ['HS256'] });
    const viewer = payload.sub && isRole(payload.role) ? { id: payload.sub, role: payload.role } : null;
    return { viewer, requestId: typeof payload.rid === 'string' ? payload.rid : undefined, ip: typeof payload.ip === 'string' ? payload.ip : undefined };
  } catch (error) {
    if (error instanceof joseErrors.JOSEError)
      throw requestError('UNAUTHENTICATED', 'Invalid gateway signature; subgraphs accept requests only from the Fabline gateway');
    throw error;
  }
}

/** Guards a resolver: UNAUTHENTICATED without a viewer, FORBIDDEN without one of `roles`. */
export function requireViewer(viewer: Viewer | null, roles?: readonly Role[]): Viewer {
  if (!viewer) throw userError('UNAUTHENTICATED', 'Log in first: send "Authorization: Bearer <token>"');
  if (roles && !roles.includes(viewer.role)) {
    throw userError('FORBIDDEN', `This needs role ${roles.join(' or ')}; you are ${viewer.role}`);
  }
  return viewer;
}

export const isStaff = (viewer: Viewer | null) => !!viewer && viewer.role !== 'CUSTOMER' && viewer.role !== 'PARTNER';
