import { createHmac, randomUUID } from 'node:crypto';
import { signUserToken } from '@fabline/shared/auth';
import type { Request } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createViewerResolver } from '../src/viewer.ts';

const env = { JWT_SECRET: 'j'.repeat(32), INTERNAL_SECRET: 'i'.repeat(32), CRM_URL: 'http://127.0.0.1:9', API_KEY_CACHE_MS: 60_000 };
const request = (token: string, headers: Record<string, string> = {}) =>
  ({ headers: { authorization: `Bearer ${token}`, ...headers }, id: 'r1' }) as unknown as Request;
const id = randomUUID();
/** A token signed with the right secret (HS256), with the claims the test chooses. */
const craft = async (claims: { sub?: string; exp?: boolean }) => {
  const now = Math.floor(Date.now() / 1000);
  const payload = { role: 'ADMIN', iss: 'fabline', aud: 'fabline-api', iat: now, sub: claims.sub, exp: claims.exp === false ? undefined : now + 3600 };
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256' })}.${part(payload)}`;
  return `${unsigned}.${createHmac('sha256', env.JWT_SECRET).update(unsigned).digest('base64url')}`;
};

describe('the viewer resolver', () => {
  afterEach(() => vi.useRealTimers());

  it('remembers a verified token, and refuses it once it expires', async () => {
    const resolveViewer = createViewerResolver({ env });
    const token = await signUserToken({ id, role: 'CUSTOMER' }, env.JWT_SECRET, '60s');
    expect(await resolveViewer(request(token))).toEqual({ id, role: 'CUSTOMER' });
    expect(await resolveViewer(request(token))).toEqual({ id, role: 'CUSTOMER' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    await expect(resolveViewer(request(token))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/expired/) });
  });

  it('never remembers a token that failed: a forged one is refused every time', async () => {
    const resolveViewer = createViewerResolver({ env });
    const forged = await signUserToken({ id, role: 'ADMIN' }, 'x'.repeat(32));
    for (let i = 0; i < 2; i++) await expect(resolveViewer(request(forged))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });

  it('refuses a token that never expires', async () => {
    const resolveViewer = createViewerResolver({ env });
    await expect(resolveViewer(request(await craft({ sub: id, exp: false })))).rejects.toMatchObject({
      extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
      message: expect.stringMatching(/expir/),
    });
  });

  it('refuses a token whose subject is not an account id with 401, not a server error', async () => {
    const resolveViewer = createViewerResolver({ env });
    for (const sub of ['not-a-uuid', '']) {
      await expect(resolveViewer(request(await craft({ sub })))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
    }
    await expect(resolveViewer(request(await craft({})))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
  });

  it('refuses a request carrying both a Bearer token and an API key', async () => {
    const resolveViewer = createViewerResolver({ env });
    const token = await signUserToken({ id, role: 'CUSTOMER' }, env.JWT_SECRET, '60s');
    await expect(resolveViewer(request(token, { 'x-api-key': 'fbl_anything' }))).rejects.toMatchObject({
      extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      message: expect.stringMatching(/not both/),
    });
  });
});
