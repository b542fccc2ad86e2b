// @vitest-environment jsdom
import { File as NodeFile } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkFileBeforeUpload } from '../../src/upload/check-file-before-upload.ts';
import { isUploadError, UploadError, uploadFile } from '../../src/upload/upload-file.ts';

interface Received {
  headers: IncomingMessage['headers'];
  operations: unknown;
  map: unknown;
  file: { name: string; text: string };
}

/** A real HTTP server; jsdom's XMLHttpRequest applies CORS, so it answers preflights as a gateway would. */
let server: Server;
let base: string;
const received: Received[] = [];
let hangArrived = 0;
let hangClosedWithoutAnswer = 0;
type Handler = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;
const routes: Record<string, Handler> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    res.setHeader('Access-Control-Allow-Origin', '*');
    res.setHeader('Access-Control-Allow-Headers', 'authorization, apollo-require-preflight, content-type, accept');
    res.setHeader('Access-Control-Expose-Headers', 'retry-after');
    if (req.method === 'OPTIONS') {
      res.writeHead(204).end();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => routes[req.url ?? '']?.(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  routes['/graphql'] = async (req, res, body) => {
    // Parse the multipart body with the platform's own parser (undici), not a copy of the client's logic.
    // Node 24's fetch builds each part with the global File, which jsdom replaces (its parser then
    // rejects its own parts): Node's File is put back while it parses
    const jsdomFile = globalThis.File;
    globalThis.File = NodeFile as unknown as typeof File;
    const form = await new Request('http://x/', { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(body) })
      .formData()
      .finally(() => {
        globalThis.File = jsdomFile;
      });
    const file = form.get('0') as File;
    received.push({
      headers: req.headers,
      operations: JSON.parse(String(form.get('operations'))),
      map: JSON.parse(String(form.get('map'))),
      file: { name: file.name, text: await file.text() },
    });
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { uploadModel: { id: 'm1', filename: file.name } } }));
  };
  routes['/too-large'] = (_req, res) => {
    res
      .writeHead(413, { 'content-type': 'application/json' })
      .end(
        JSON.stringify({ errors: [{ message: 'The file is larger than the limit of 100 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE', limitBytes: 100 } }] }),
      );
  };
  routes['/rate-limited'] = (_req, res) => {
    res
      .writeHead(429, { 'content-type': 'application/json', 'retry-after': '7' })
      .end(JSON.stringify({ errors: [{ message: 'Too many requests', extensions: { code: 'RATE_LIMITED' } }] }));
  };
  routes['/proxy-413'] = (_req, res) => {
    res.writeHead(413, { 'content-type': 'text/html' }).end('<html>Request Entity Too Large</html>');
  };
  routes['/hang'] = (_req, res) => {
    hangArrived++;
    res.on('close', () => {
      if (!res.writableEnded) hangClosedWithoutAnswer++;
    });
  };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const file = () => new File(['solid cube\nendsolid cube\n'], 'cube.stl', { type: 'model/stl' });

describe('uploadFile', () => {
  it('sends a GraphQL multipart request with a persisted query, the headers, and reports progress up to 100', async () => {
    const percents: number[] = [];
    const result = await uploadFile<{ uploadModel: { id: string; filename: string } }>({
      url: `${base}/graphql`,
      file: file(),
      operation: {
        operationName: 'UploadModel',
        variables: { file: 'placeholder' },
        extensions: { persistedQuery: { version: 1, sha256Hash: 'abc123' } },
      },
      headers: { Authorization: 'Bearer token-1' },
      onProgress: (p) => percents.push(p),
    });
    expect(result.data?.uploadModel).toEqual({ id: 'm1', filename: 'cube.stl' });
    const [request] = received.splice(0);
    expect(request?.operations).toEqual({
      operationName: 'UploadModel',
      variables: { file: null },
      extensions: { persistedQuery: { version: 1, sha256Hash: 'abc123' } },
    });
    expect(request?.map).toEqual({ 0: ['variables.file'] });
    expect(request?.file).toEqual({ name: 'cube.stl', text: 'solid cube\nendsolid cube\n' });
    expect(request?.headers.authorization).toBe('Bearer token-1');
    expect(request?.headers['apollo-require-preflight']).toBe('true');
    expect(request?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(percents.at(-1)).toBe(100);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
  });

  it('puts the file at a nested object path and keeps a full query', async () => {
    await uploadFile({
      url: `${base}/graphql`,
      file: new Blob(['v 0 0 0']),
      fileName: 'part.obj',
      operation: { query: 'mutation($input: UploadInput!) { upload(input: $input) { id } }', variables: { input: { note: 'x' } } },
      filePath: 'variables.input.file',
    });
    const [request] = received.splice(0);
    expect(request?.operations).toEqual({
      query: 'mutation($input: UploadInput!) { upload(input: $input) { id } }',
      variables: { input: { note: 'x', file: null } },
    });
    expect(request?.map).toEqual({ 0: ['variables.input.file'] });
    expect(request?.file.name).toBe('part.obj');
  });

  it('rejects an HTTP error with the GraphQL errors of its body, so the app can name the code', async () => {
    const error = await uploadFile({ url: `${base}/too-large`, file: file(), operation: { variables: {} } }).catch((e: unknown) => e);
    expect(isUploadError(error)).toBe(true);
    const e = error as UploadError;
    expect(e.status).toBe(413);
    expect(e.code).toBe('PAYLOAD_TOO_LARGE');
    expect(e.errors[0]?.extensions?.limitBytes).toBe(100);

    const limited = (await uploadFile({ url: `${base}/rate-limited`, file: file(), operation: {} }).catch((x: unknown) => x)) as UploadError;
    expect(limited.code).toBe('RATE_LIMITED');
    expect(limited.retryAfterSeconds).toBe(7);

    // A proxy in front may answer 413 without a GraphQL body: the status still names the code.
    const proxied = (await uploadFile({ url: `${base}/proxy-413`, file: file(), operation: {} }).catch((x: unknown) => x)) as UploadError;
    expect(proxied.code).toBe('PAYLOAD_TOO_LARGE');

    const lost = (await uploadFile({ url: 'http://127.0.0.1:1/graphql', file: file(), operation: {} }).catch((x: unknown) => x)) as UploadError;
    expect(lost).toBeInstanceOf(UploadError);
    expect(lost.code).toBe('NETWORK_ERROR');
  });

  it('aborts the transfer when the signal fires, and rejects with an AbortError', async () => {
    const controller = new AbortController();
    const pending = uploadFile({ url: `${base}/hang`, file: file(), operation: {}, signal: controller.signal });
    // Abort once the server holds the whole request and has not answered.
    await expect.poll(() => hangArrived, { timeout: 5000 }).toBe(1);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    // The connection is dropped, so the server sees the client go.
    await expect.poll(() => hangClosedWithoutAnswer, { timeout: 5000 }).toBe(1);

    const already = AbortSignal.abort();
    await expect(uploadFile({ url: `${base}/graphql`, file: file(), operation: {}, signal: already })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('checkFileBeforeUpload', () => {
  const options = { maxBytes: 1000, formats: ['stl', 'obj', '3mf'] };
  it('accepts a model within the limit, whatever the case of its extension', () => {
    expect(checkFileBeforeUpload({ name: 'Bracket.STL', size: 1000 }, options)).toEqual({ ok: true, format: 'stl' });
  });
  it('refuses with a typed reason the app turns into a sentence', () => {
    expect(checkFileBeforeUpload({ name: 'big.3mf', size: 1001 }, options)).toEqual({ ok: false, reason: 'too-large', sizeBytes: 1001, maxBytes: 1000 });
    expect(checkFileBeforeUpload({ name: 'photo.png', size: 10 }, options)).toEqual({
      ok: false,
      reason: 'wrong-format',
      extension: 'png',
      allowed: ['stl', 'obj', '3mf'],
    });
    expect(checkFileBeforeUpload({ name: 'stl', size: 10 }, options)).toMatchObject({ ok: false, reason: 'wrong-format', extension: undefined });
    expect(checkFileBeforeUpload({ name: 'empty.obj', size: 0 }, options)).toEqual({ ok: false, reason: 'empty' });
  });
});
