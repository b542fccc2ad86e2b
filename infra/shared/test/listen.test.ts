import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { listenHost } from '../src/platform/env.ts';
import { listen } from '../src/platform/http.ts';

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

// startStack and `npm start` start every process with an IPC channel; if they die without stopping
// it (a killed test worker), the process must not live on holding its port and connections.
describe('a process whose parent is gone', () => {
  it('stops as on SIGTERM when its IPC channel closes', async () => {
    const { spawn } = await import('node:child_process');
    const script = `
      import { onShutdown } from ${JSON.stringify(new URL('../src/platform/http.ts', import.meta.url).pathname)};
      const logger = { info: (fields, message) => console.log(message, fields.signal), error: () => {} };
      onShutdown(logger, async () => console.log('stopped'));
      process.send({ ready: true });
      setInterval(() => {}, 1000);
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await Promise.race([new Promise((resolve) => child.once('message', resolve)), exited]);
      child.disconnect();
      expect(await exited).toBe(0);
      expect(output).toContain('shutting down parent gone');
      expect(output).toContain('stopped');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
