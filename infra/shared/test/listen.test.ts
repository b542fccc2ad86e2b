import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenHost } from '../src/env.ts';
import { listen } from '../src/http.ts';

// A development machine must not offer its processes to the network: they listen on 127.0.0.1
// unless HOST says otherwise; production (containers) listens on every address.
describe('where a process listens', () => {
  it('127.0.0.1 by default, in development and tests', async () => {
    expect(listenHost({})).toBe('127.0.0.1');
    expect(listenHost({ NODE_ENV: 'development' })).toBe('127.0.0.1');
    expect(listenHost({ NODE_ENV: 'test' })).toBe('127.0.0.1');
    const { server } = await listen((_req: IncomingMessage, res: ServerResponse) => res.end(), 0);
    try {
      expect(server.address()).toMatchObject({ address: '127.0.0.1' });
    } finally {
      server.close();
    }
  });

  it('every address in production, and HOST wins everywhere', async () => {
    expect(listenHost({ NODE_ENV: 'production' })).toBe('0.0.0.0');
    expect(listenHost({ NODE_ENV: 'production', HOST: '10.0.0.5' })).toBe('10.0.0.5');
    expect(listenHost({ NODE_ENV: 'development', HOST: '0.0.0.0' })).toBe('0.0.0.0');
    const { server } = await listen((_req: IncomingMessage, res: ServerResponse) => res.end(), 0, { host: listenHost({ NODE_ENV: 'production' }) });
    try {
      expect(server.address()).toMatchObject({ address: '0.0.0.0' });
    } finally {
      server.close();
    }
  });
});
