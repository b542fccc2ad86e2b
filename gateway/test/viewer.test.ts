import { signUserToken } from '@fabline/shared/auth';
import type { Request } from 'express';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createViewerResolver } from '../src/viewer.ts';

const env = { JWT_SECRET: 'j'.repeat(32), INTERNAL_SECRET: 'i'.repeat(32), CRM_URL: 'http://127.0.0.1:9', API_KEY_CACHE_MS: 60_000 };
const request = (token: string) => ({ headers: { authorization: `Bearer ${token}` }, id: 'r1' }) as unknown as Request;

describe('the viewer resolver', () => {
  afterEach(() => vi.useRealTimers());

  it('remembers a verified token, and refuses it once it expires', async () => {
    const resolveViewer = createViewerResolver({ env });
    const token = await signUserToken({ id: 'u1', role: 'CUSTOMER' }, env.JWT_SECRET, '60s');
    expect(await resolveViewer(request(token))).toEqual({ id: 'u1', role: 'CUSTOMER' });
    expect(await resolveViewer(request(token))).toEqual({ id: 'u1', role: 'CUSTOMER' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 120_000);
    await expect(resolveViewer(request(token))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' }, message: expect.stringMatching(/expired/) });
  });

  it('never remembers a token that failed: a forged one is refused every time', async () => {
    const resolveViewer = createViewerResolver({ env });
    const forged = await signUserToken({ id: 'u1', role: 'ADMIN' }, 'x'.repeat(32));
    for (let i = 0; i < 2; i++) await expect(resolveViewer(request(forged))).rejects.toMatchObject({ extensions: { code: 'UNAUTHENTICATED' } });
  });
});
