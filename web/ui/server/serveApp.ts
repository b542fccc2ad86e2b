// Serves a built web app (its Vite `dist/`) on one origin with its API: `/graphql` (HTTP and the
// WebSocket upgrade), `/files/` and `/admin/cache/` are proxied to the gateway, so the browser needs no CORS and the
// token never leaves the page's origin. Every other path without a file is the app (SPA fallback).
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';

export interface ServeAppOptions {
  /** The app's built folder (vite build's outDir). */
  dist: string;
  /** The gateway's GraphQL endpoint, e.g. http://localhost:4000/graphql; its origin also serves /files/. */
  gatewayUrl: string;
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
}

export interface ServedApp {
  port: number;
  url: string;
  server: Server;
  close(): Promise<void>;
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};
const compressible = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt']);
/** Headers of one hop that a proxy must not pass on (RFC 9110 §7.6.1). */
const hopByHop = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

function isProxied(path: string) {
  // /admin/cache/: the gateway's admin routes (the CRM's cache page); the gateway checks the admin token
  return path === '/graphql' || path.startsWith('/graphql?') || path.startsWith('/files/') || path.startsWith('/admin/cache/');
}

function forwardedHeaders(req: IncomingMessage, target: URL) {
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && !hopByHop.has(name)) headers[name] = value;
  headers.host = target.host;
  const address = req.socket.remoteAddress ?? '';
  headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${req.headers['x-forwarded-for']}, ${address}` : address;
  headers['x-forwarded-host'] = req.headers.host ?? '';
  headers['x-forwarded-proto'] = 'http';
  return headers;
}

function proxyHttp(req: IncomingMessage, res: ServerResponse, gateway: URL) {
  const target = new URL(req.url ?? '/', gateway);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const upstream = send(target, { method: req.method, headers: forwardedHeaders(req, target) }, (answer) => {
    // the client went away before the gateway answered: nobody to hand it to (on Node 22+ piping
    // into the closed response throws, and would take the server down)
    if (res.destroyed) {
      answer.destroy();
      return;
    }
    const headers = { ...answer.headers };
    for (const name of hopByHop) delete headers[name];
    res.writeHead(answer.statusCode ?? 502, headers);
    pipeline(answer, res, () => {});
  });
  upstream.on('error', () => {
    if (!res.headersSent) {
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ message: 'The gateway cannot be reached', extensions: { code: 'BAD_GATEWAY' } }] }));
    } else res.destroy();
  });
  // a client that goes away mid-upload stops the upstream request too
  pipeline(req, upstream, () => {});
}

function proxyUpgrade(req: IncomingMessage, socket: Socket, head: Buffer, gateway: URL, open: Set<Socket>) {
  const target = new URL(req.url ?? '/', gateway);
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  const headers = forwardedHeaders(req, target);
  headers.connection = 'Upgrade';
  headers.upgrade = req.headers.upgrade ?? 'websocket';
  const upstream = send(target, { method: 'GET', headers });
  upstream.on('upgrade', (answer, upstreamSocket, upstreamHead) => {
    const lines = [`HTTP/1.1 101 ${answer.statusMessage ?? 'Switching Protocols'}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
    if (upstreamHead.length) socket.write(upstreamHead);
    if (head.length) upstreamSocket.write(head);
    upstreamSocket.pipe(socket).pipe(upstreamSocket);
    open.add(socket);
    const close = () => {
      open.delete(socket);
      upstreamSocket.destroy();
      socket.destroy();
    };
    upstreamSocket.on('error', close).on('close', close);
    socket.on('error', close).on('close', close);
  });
  upstream.on('response', (answer) => {
    // the gateway refused the upgrade: hand its answer on and close
    socket.end(`HTTP/1.1 ${answer.statusCode} ${answer.statusMessage}\r\nconnection: close\r\n\r\n`);
    answer.resume();
  });
  upstream.on('error', () => socket.destroy());
  socket.on('error', () => upstream.destroy());
  upstream.end();
}

async function serveFile(req: IncomingMessage, res: ServerResponse, root: string) {
  const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://app').pathname);
  let file = normalize(join(root, pathname));
  if (!file.startsWith(root + sep) && file !== root) {
    res.writeHead(400).end();
    return;
  }
  let info = await stat(file).catch(() => null);
  if (info?.isDirectory()) {
    file = join(file, 'index.html');
    info = await stat(file).catch(() => null);
  }
  if (!info?.isFile()) {
    // a path with an extension names a file that is not there; any other path is a route of the app
    if (extname(pathname)) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
      return;
    }
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info) {
      res.writeHead(404).end();
      return;
    }
  }
  const ext = extname(file);
  const headers: Record<string, string> = {
    'content-type': types[ext] ?? 'application/octet-stream',
    // Vite names built assets by their content hash; index.html must be asked for again each time
    'cache-control': file.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  };
  if (ext === '.html') headers['referrer-policy'] = 'same-origin';
  const gzip = compressible.has(ext) && /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (gzip) {
    headers['content-encoding'] = 'gzip';
    headers.vary = 'accept-encoding';
  } else headers['content-length'] = String(info.size);
  res.writeHead(200, headers);
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  if (gzip) pipeline(createReadStream(file), createGzip(), res, () => {});
  else pipeline(createReadStream(file), res, () => {});
}

/** Starts serving; resolves once it listens. */
export async function serveApp(options: ServeAppOptions): Promise<ServedApp> {
  const root = resolve(options.dist);
  const gateway = new URL(options.gatewayUrl);
  const server = createServer((req, res) => {
    const path = req.url ?? '/';
    // probes of the orchestrator: alive while it answers; ready when the built app is there
    if (path === '/healthz' || path === '/readyz') {
      stat(join(root, 'index.html')).then(
        () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'),
        () => res.writeHead(path === '/healthz' ? 200 : 503, { 'content-type': 'text/plain' }).end(path === '/healthz' ? 'ok' : 'not built'),
      );
      return;
    }
    if (isProxied(path)) {
      proxyHttp(req, res, gateway);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    serveFile(req, res, root).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  // upgraded sockets leave the server's bookkeeping: close() ends them from this set
  const upgraded = new Set<Socket>();
  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    if (isProxied(req.url ?? '/')) proxyUpgrade(req, socket, head, gateway, upgraded);
    else socket.destroy();
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    server,
    url: `http://${host === '0.0.0.0' || host === '::' ? 'localhost' : host}:${port}`,
    close: () =>
      new Promise<void>((done) => {
        for (const socket of upgraded) socket.destroy();
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
