// serveApp: the built app on one origin with the API: files, the SPA fallback, /graphql (HTTP and
// WebSocket upgrade) and /files/ proxied to a gateway, and nothing outside the dist folder.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket, { WebSocketServer } from 'ws';
import { type ServedApp, serveApp } from '../server/serveApp.ts';

let dist: string;
let gateway: Server;
let app: ServedApp;
const seen: { method?: string; url?: string; auth?: string; body: string }[] = [];

beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'fabline-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>shop</title>');
  writeFileSync(join(dist, 'assets', 'app-abc123.js'), 'console.log("app")');
  writeFileSync(join(tmpdir(), 'fabline-secret.txt'), 'secret');
  gateway = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
      const answer = () => res.writeHead(200, { 'content-type': 'application/json', 'retry-after': '7' }).end(JSON.stringify({ data: { echo: body } }));
      if (req.url?.includes('slow')) setTimeout(answer, 400);
      else answer();
    });
  });
  const sockets = new WebSocketServer({ server: gateway, path: '/graphql' });
  sockets.on('connection', (socket, req) => {
    socket.on('message', (message) => socket.send(`${req.headers['sec-websocket-protocol']}:${message}`));
  });
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
  app = await serveApp({ dist, gatewayUrl: `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/graphql` });
});
afterAll(async () => {
  await app?.close();
  gateway?.closeAllConnections();
  await new Promise((resolve) => gateway?.close(resolve));
  rmSync(dist, { recursive: true, force: true });
});

describe('serveApp', () => {
  it('serves files, and the app for any route without a file; a missing asset is a 404', async () => {
    const asset = await fetch(`${app.url}/assets/app-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toMatch(/immutable/);
    expect(await asset.text()).toBe('console.log("app")');
    const route = await fetch(`${app.url}/orders/123`);
    expect(route.headers.get('cache-control')).toBe('no-cache');
    expect(await route.text()).toContain('<title>shop</title>');
    expect((await fetch(`${app.url}/assets/missing-1.js`)).status).toBe(404);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
  });

  it('never serves a file outside its folder', async () => {
    const status = await new Promise<number>((resolve) => {
      // a raw path: fetch would normalize the dots away
      request(`${app.url}/..%2ffabline-secret.txt`, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      }).end();
    });
    expect(status).toBe(400);
  });

  it('proxies /graphql with its headers and body, and hands the answer back with its headers', async () => {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { authorization: 'Bearer t0ken', 'content-type': 'application/json' },
      body: '{"query":"{ a }"}',
    });
    expect(response.headers.get('retry-after')).toBe('7');
    expect(await response.json()).toEqual({ data: { echo: '{"query":"{ a }"}' } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/graphql', auth: 'Bearer t0ken' });
    await fetch(`${app.url}/files/abc?sig=1`);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/files/abc?sig=1' });
  });

  it('drops an answer whose client went away before it came, and keeps serving', async () => {
    const before = seen.length;
    const gone = fetch(`${app.url}/graphql?slow`, { method: 'POST', body: '{"query":"{ slow }"}', signal: AbortSignal.timeout(100) });
    await expect(gone).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 600)); // the gateway has answered by now
    expect(seen.length).toBe(before + 1);
    const next = await fetch(`${app.url}/graphql`, { method: 'POST', body: '{"query":"{ next }"}' });
    expect(await next.json()).toEqual({ data: { echo: '{"query":"{ next }"}' } });
  });

  it('proxies the WebSocket upgrade of /graphql both ways, subprotocol included', async () => {
    const socket = new WebSocket(`${app.url.replace('http', 'ws')}/graphql`, 'graphql-transport-ws');
    const answer = await new Promise<string>((resolve, reject) => {
      socket.on('open', () => socket.send('ping'));
      socket.on('message', (data) => resolve(String(data)));
      socket.on('error', reject);
    });
    expect(answer).toBe('graphql-transport-ws:ping');
    expect(socket.protocol).toBe('graphql-transport-ws');
    socket.close();
  });
});
