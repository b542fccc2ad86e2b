import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type Upload from 'graphql-upload/Upload.mjs';
import { afterEach, describe, expect, it } from 'vitest';
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
