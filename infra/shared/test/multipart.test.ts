import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type Upload from 'graphql-upload/Upload.mjs';
import { afterEach, describe, expect, it } from 'vitest';
import { graphqlErrorHandler } from '../src/http.ts';
import { createLogger } from '../src/logger.ts';
import { graphqlMultipart, UploadError } from '../src/multipart.ts';

// The middleware on a real HTTP server, with a handler in place of GraphQL that asks for the
// file only after the request has gone wrong, as a resolver does when it starts late.
let server: Server | undefined;
afterEach(() => server?.close());

const BOUNDARY = '----fablinetest';
const head = (filename: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: 'mutation($file: Upload!) { f(file: $file) }', variables: { file: null } })}\r\n` +
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="${filename}"\r\nContent-Type: model/obj\r\n\r\n`;

/** A promise and its resolve (Promise.withResolvers is Node 22). */
function resolvers<T>() {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Serves the middleware with a handler that, once the file has arrived (`arrived`) and
 * `whenToRead` has passed, asks for the file's stream; `read` resolves with what it got.
 */
async function serve(maxFileSize: number, whenToRead: (req: express.Request) => Promise<unknown>) {
  const arrived = resolvers<void>();
  const read = resolvers<unknown>();
  const app = express();
  app.use(graphqlMultipart({ maxFileSize }), async (req, res) => {
    const file = await (req.body.variables.file as Upload).promise;
    arrived.resolve();
    await whenToRead(req);
    try {
      const stream = file.createReadStream();
      read.resolve({ destroyed: stream.destroyed });
    } catch (error) {
      read.resolve(error);
    }
    if (!res.headersSent && !res.destroyed) res.json({});
  });
  server = createServer(app);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { port: (server.address() as AddressInfo).port, arrived: arrived.promise, read: read.promise };
}

describe('graphqlMultipart', () => {
  it('refuses to hand out the stream of a file whose client went away before it was read', async () => {
    const { port, arrived, read } = await serve(1024 * 1024, async (req) => {
      // not events.once: the aborted request may emit an error before it closes
      if (!req.destroyed) await new Promise((resolve) => req.once('close', resolve));
    });
    const client = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': '100000' },
    });
    client.on('error', () => {});
    client.write(head('half.obj'));
    client.write('v 0 0 0\n');
    // the handler has the file (its part's headers are parsed); then the client goes
    await arrived;
    client.destroy();
    const outcome = await read;
    expect(outcome).toBeInstanceOf(UploadError);
    expect(outcome).toMatchObject({ status: 499, message: expect.stringContaining('disconnected') });
  });

  it('refuses to hand out the stream of a file cut by the size limit before it was read', async () => {
    const { port, read } = await serve(1024, async (req) => {
      if (!req.complete) await new Promise((resolve) => req.once('end', resolve));
    });
    const body = `${head('big.obj')}${'v 0 0 0\n'.repeat(1000)}\r\n--${BOUNDARY}--\r\n`;
    const response = await fetch(`http://127.0.0.1:${port}/`, {
      method: 'POST',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      body,
    }).catch(() => undefined);
    await response?.text();
    const outcome = await read;
    expect(outcome).toBeInstanceOf(UploadError);
    expect(outcome).toMatchObject({ status: 413, message: expect.stringContaining('larger than the limit of 1024 bytes') });
  });
});

describe('graphqlMultipart with a hostile client', () => {
  /** The middleware in front of a handler that reads the file to its end, with the error handler the processes use. */
  async function serveReading(options: { maxFileSize?: number; idleTimeoutMs?: number } = {}) {
    const seen: unknown[] = [];
    const app = express();
    app.use(graphqlMultipart({ maxFileSize: options.maxFileSize ?? 1024 * 1024, idleTimeoutMs: options.idleTimeoutMs }), async (req, res, next) => {
      try {
        const file = await (req.body.variables.file as Upload).promise;
        let bytes = 0;
        for await (const chunk of file.createReadStream()) bytes += (chunk as Buffer).length;
        res.json({ data: { bytes } });
      } catch (error) {
        seen.push(error);
        next(error);
      }
    });
    app.use(graphqlErrorHandler(createLogger({ name: 'test', level: 'silent' })));
    server = createServer(app);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, seen };
  }

  /** Posts `body` with its exact length; resolves with the answer or the error that ended the exchange. */
  const post = (url: string, body: string) =>
    fetch(url, { method: 'POST', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` }, body }).then(
      async (response) => ({ status: response.status, body: (await response.json()) as { errors?: { message: string; extensions: { code: string } }[] } }),
      (error: Error) => error,
    );

  it('answers 400 with a code, and does not crash, when the body ends inside the file', async () => {
    const { url } = await serveReading();
    const answer = await post(url, `${head('cut.obj')}v 0 0 0\n`);
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringMatching(/invalid multipart request/i), extensions: { code: 'BAD_USER_INPUT' } }] },
    });
    // and when the file part comes first, before anything could take it
    const first = await post(url, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.obj"\r\n\r\nv 0 0 0\n`);
    expect(first).toMatchObject({ status: 400, body: { errors: [{ extensions: { code: 'BAD_USER_INPUT' } }] } });
  });

  it('refuses one file mapped to two variables with a sentence that says so', async () => {
    const { url } = await serveReading();
    const body =
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query: 'mutation($a: Upload!, $b: Upload!) { a: f(file: $a) b: f(file: $b) }', variables: { a: null, b: null } })}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.a', 'variables.b'] })}\r\n` +
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.obj"\r\n\r\nv 0 0 0\n\r\n--${BOUNDARY}--\r\n`;
    const answer = await post(url, body);
    expect(answer).toMatchObject({
      status: 400,
      body: { errors: [{ message: expect.stringContaining('mapped to 2 variables'), extensions: { code: 'BAD_USER_INPUT' } }] },
    });
  });

  it('gives a 413 that Node fetch reads when a FormData body is refused by its declared length', async () => {
    const { url } = await serveReading({ maxFileSize: 1024 });
    const form = new FormData();
    form.append('operations', JSON.stringify({ query: 'mutation($file: Upload!) { f(file: $file) }', variables: { file: null } }));
    form.append('map', JSON.stringify({ 0: ['variables.file'] }));
    form.append('0', new Blob([Buffer.alloc(3 * 1024 * 1024, 0x20)]), 'big.obj');
    const response = await fetch(url, { method: 'POST', body: form });
    expect(response.status).toBe(413);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0]?.extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('ends an upload from which no byte arrives for the idle timeout, failing the reader', async () => {
    const { url, seen } = await serveReading({ idleTimeoutMs: 300 });
    const target = new URL(url);
    const client = request({
      host: target.hostname,
      port: target.port,
      method: 'POST',
      path: '/',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}`, 'content-length': '100000' },
    });
    client.on('error', () => {});
    const answered = new Promise<number>((resolve) => client.on('response', (res) => resolve(res.statusCode ?? 0)));
    const closed = new Promise((resolve) => client.on('close', resolve));
    client.write(`${head('slow.obj')}v 0 0 0\n`);
    expect(await answered).toBe(408);
    await closed;
    expect(seen[0]).toMatchObject({ status: 408, message: expect.stringContaining('No data') });
  });
});
