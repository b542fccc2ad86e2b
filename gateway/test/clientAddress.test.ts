import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clientAddress, trustedProxies } from '../src/clientAddress.ts';
import { loadEnv } from '../src/env.ts';

const request = (peer: string, forwardedFor?: string) =>
  ({
    socket: { remoteAddress: peer },
    connection: { remoteAddress: peer },
    headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {},
  }) as unknown as IncomingMessage;

describe("the client's address behind proxies", () => {
  it('outside production, a loopback peer (the web apps) names the client; the rightmost untrusted entry wins', () => {
    const trust = trustedProxies({ NODE_ENV: 'development' });
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), trust)).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1', '198.51.100.1, 203.0.113.7'), trust)).toBe('203.0.113.7');
    expect(clientAddress(request('127.0.0.1'), trust)).toBe('127.0.0.1');
    expect(clientAddress(request('192.0.2.9', '203.0.113.7'), trust)).toBe('192.0.2.9');
  });

  it('in production nobody is trusted unless TRUST_PROXY lists it', () => {
    expect(clientAddress(request('127.0.0.1', '203.0.113.7'), trustedProxies({ NODE_ENV: 'production' }))).toBe('127.0.0.1');
    const ingress = trustedProxies({ NODE_ENV: 'production', TRUST_PROXY: '10.0.0.0/8, uniquelocal' });
    expect(clientAddress(request('10.1.2.3', '203.0.113.7'), ingress)).toBe('203.0.113.7');
    expect(clientAddress(request('10.1.2.3', '203.0.113.7, 10.9.9.9'), ingress)).toBe('203.0.113.7');
  });

  it('refuses a TRUST_PROXY that is not addresses, ranges or known names, at start', () => {
    expect(() => loadEnv({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
    expect(() => loadEnv({ TRUST_PROXY: '10.0.0.0/8,loopback' })).not.toThrow();
  });
});
