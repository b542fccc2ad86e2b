import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Stack, startStack } from '../src/index.ts';

// startStack must never mistake another process for one of its own: each process binds its port
// itself and reports it, a process that dies while starting fails the stack with its last log lines,
// and a restart on a port someone else holds for a moment waits for it instead of trusting whoever answers.

/** An HTTP server of "another test run" on `port` that answers every request, /readyz included, with 200. */
async function foreignServer(port = 0): Promise<{ server: Server; port: number; requests: number }> {
  const state = { server: undefined as unknown as Server, port: 0, requests: 0 };
  state.server = createServer((_req, res) => {
    state.requests++;
    res.setHeader('content-type', 'application/json');
    res.end('{"status":"ok"}');
  });
  state.server.listen(port, '127.0.0.1');
  await once(state.server, 'listening');
  const address = state.server.address();
  state.port = typeof address === 'object' && address ? address.port : 0;
  return state;
}

const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

/** True when 127.0.0.2:port can be bound, i.e. whoever holds `port` listens on 127.0.0.1 only, not on every address. */
const loopbackOnly = (port: number) =>
  new Promise<boolean>((resolve) => {
    const probe = createTcpServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.2', () => probe.close(() => resolve(true)));
  });

const portOf = (url: string) => Number(new URL(url).port);

describe('startStack when a foreign process holds a fixed port', () => {
  it('fails at once, naming the process and EADDRINUSE from its log, instead of trusting the foreign answer', async () => {
    const foreign = await foreignServer();
    try {
      const error = await startStack({ ports: { mes: foreign.port } }).then(
        (stack) => stack.stop().then(() => undefined),
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/^mes exited \(code 1\) while starting/);
      expect(error?.message).toContain('EADDRINUSE');
    } finally {
      await close(foreign.server);
    }
  });
});

describe('a stack on ports its processes pick', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ env: { LOG_LEVEL: 'info' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('binds every process to 127.0.0.1 only (development default), on the ports they reported', async () => {
    const ports = [...Object.values(stack.urls).map(portOf), portOf(stack.workerUrl)];
    for (const port of ports) expect(await loopbackOnly(port), `port ${port}`).toBe(true);
    const shop = await (await fetch(stack.urls.shop.replace('/graphql', '/metrics'))).text();
    expect(shop).toContain('service="shop"');
  });

  it('restarts a subgraph on its old port once a foreign process that held it meanwhile lets go', async () => {
    const old = stack.processes.get('mes') as ChildProcess;
    old.kill('SIGTERM');
    await once(old, 'exit');
    const foreign = await foreignServer(portOf(stack.urls.mes));
    const restarting = stack.restart('mes');
    // the first attempt meets the foreign process and dies of EADDRINUSE; then the port frees up
    await eventually(
      async () => {
        const attempt = stack.processes.get('mes');
        return attempt !== old && attempt?.exitCode !== null ? true : undefined;
      },
      { timeoutMs: 120_000 },
    );
    await close(foreign.server);
    const child = await restarting;
    expect(child.exitCode).toBeNull();
    expect(stack.processes.get('mes')).toBe(child);
    expect(foreign.requests).toBe(0);
    const metrics = await (await fetch(stack.urls.mes.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('service="mes"');
    // the gateway reaches the restarted mes where it left it
    const health = await fetch(stack.urls.gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(health.status).toBe(200);
  });

  it('starts an extra gateway replica on the port it bound', async () => {
    const extra = await stack.spawnExtra('gateway');
    expect(extra.child.exitCode).toBeNull();
    expect(await loopbackOnly(portOf(extra.url))).toBe(true);
    const metrics = await (await fetch(extra.url.replace('/graphql', '/metrics'))).text();
    expect(metrics).toContain('service="gateway"');
  });
});
