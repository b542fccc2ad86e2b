import { decodeJwt, decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { signInternalToken, verifyInternalToken } from '../src/graphql/auth.ts';

const secret = 'a-secret-of-enough-length-for-hs256-0123456789';
const key = new TextEncoder().encode(secret);

describe('internal tokens (gateway → subgraph)', () => {
  it('are the HS256 JWT jose writes: same header and claims, verified by jose', async () => {
    const viewer = { id: '5b0c3c8e-7d1f-4a55-9c1e-0f2a3b4c5d6e', role: 'MANAGER' as const };
    const token = await signInternalToken({ viewer, requestId: 'req-1', ip: '10.0.0.7' }, secret);
    const joseToken = await new SignJWT({ role: viewer.role, rid: 'req-1', ip: '10.0.0.7' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('fabline')
      .setAudience('fabline-subgraph')
      .setIssuedAt()
      .setExpirationTime('60s')
      .setSubject(viewer.id)
      .sign(key);
    expect(decodeProtectedHeader(token)).toEqual(decodeProtectedHeader(joseToken));
    const claims = decodeJwt(token);
    const joseClaims = decodeJwt(joseToken);
    // signed in the same second or the next: compare the times apart from that
    expect(Math.abs((claims.iat ?? 0) - (joseClaims.iat ?? 0))).toBeLessThanOrEqual(1);
    expect((claims.exp ?? 0) - (claims.iat ?? 0)).toBe(60);
    expect({ ...claims, iat: 0, exp: 0 }).toEqual({ ...joseClaims, iat: 0, exp: 0 });
    const { payload } = await jwtVerify(token, key, { issuer: 'fabline', audience: 'fabline-subgraph', algorithms: ['HS256'] });
    expect(payload.sub).toBe(viewer.id);
    expect(await verifyInternalToken(token, secret)).toEqual({ viewer, requestId: 'req-1', ip: '10.0.0.7' });
  });

  it('name no subject for an anonymous caller', async () => {
    const token = await signInternalToken({ viewer: null, requestId: 'req-2' }, secret);
    expect(decodeJwt(token).sub).toBeUndefined();
    expect(await verifyInternalToken(token, secret)).toEqual({ viewer: null, requestId: 'req-2', ip: undefined });
  });

  it('are refused when signed with another secret or altered', async () => {
    const token = await signInternalToken({ viewer: { id: 'x', role: 'ADMIN' } }, 'another-secret-of-enough-length-0123456789');
    await expect(verifyInternalToken(token, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
    const [header, , signature] = (await signInternalToken({ viewer: null }, secret)).split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ role: 'ADMIN', sub: 'x', iss: 'fabline', aud: 'fabline-subgraph', exp: 9e9 })).toString('base64url')}.${signature}`;
    await expect(verifyInternalToken(forged, secret)).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
