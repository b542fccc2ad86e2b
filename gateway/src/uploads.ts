import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { discardBody } from '@fabline/shared/multipart';
import { fileKeyOf } from '@fabline/shared/storage';
import type { RequestHandler } from 'express';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import Upload from 'graphql-upload/Upload.mjs';

/** Where in `variables` an upload sits, and the upload itself. */
export interface FoundUpload {
  path: string;
  file: Promise<FileUpload>;
}

/** Finds graphql-upload's `Upload` values (nested in objects and lists) in request variables. */
export function findUploads(value: unknown, path = 'variables', found: FoundUpload[] = []): FoundUpload[] {
  if (value instanceof Upload) {
    found.push({ path, file: value.promise });
  } else if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) findUploads(item, `${path}.${i}`, found);
  } else if (value && typeof value === 'object' && !(value instanceof Promise)) {
    for (const [key, item] of Object.entries(value)) findUploads(item, `${path}.${key}`, found);
  }
  return found;
}

const nullAt = (variables: Record<string, unknown>, uploads: FoundUpload[]) => {
  const copy = structuredClone(Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v instanceof Upload ? null : v])));
  for (const { path } of uploads) {
    const keys = path.split('.').slice(1);
    let target: Record<string, unknown> = copy;
    for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[keys.at(-1) as string] = null;
  }
  return copy;
};

/**
 * A GraphQL multipart request (the spec graphql-upload implements) as a stream: the files are
 * piped through as they arrive, never held whole in memory or written to disk.
 */
export function multipartBody(query: string, variables: Record<string, unknown>, uploads: FoundUpload[], operationName?: string) {
  const boundary = `----fabline${randomBytes(12).toString('hex')}`;
  const operations = JSON.stringify({ query, variables: nullAt(variables, uploads), ...(operationName ? { operationName } : {}) });
  const map = JSON.stringify(Object.fromEntries(uploads.map((u, i) => [String(i), [u.path]])));
  const field = (name: string, body: string) =>
    `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\nContent-Type: application/json\r\n\r\n${body}\r\n`;
  const quote = (s: string) => s.replace(/["\r\n\\]/g, '_');

  // why the body stopped early (a file over the limit, a client gone), for the data source to answer with
  let failure: unknown;
  async function* parts(): AsyncGenerator<Buffer> {
    yield Buffer.from(field('operations', operations) + field('map', map));
    for (const [i, upload] of uploads.entries()) {
      try {
        const file = await upload.file;
        // throws when the file already failed (over the limit, the client gone) before it was forwarded
        const stream: Readable = file.createReadStream();
        yield Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${i}"; filename="${quote(file.filename)}"\r\nContent-Type: ${quote(file.mimetype || 'application/octet-stream')}\r\n\r\n`,
        );
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (error) {
        failure = error;
        throw error;
      }
      yield Buffer.from('\r\n');
    }
    yield Buffer.from(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Readable.from(parts(), { objectMode: false }), failure: () => failure };
}

/**
 * POSTs a streamed body with node:http rather than fetch: fetch's web-stream body kept every
 * forwarded chunk alive until the request ended (the gateway's RSS grew by the file's size).
 * A failing body destroys the request, so the subgraph sees an aborted upload.
 */
export async function postStream(
  url: string,
  headers: Record<string, string>,
  body: Readable,
): Promise<{ status: number; body: string; headers: IncomingHttpHeaders }> {
  const target = new URL(url);
  const req = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'POST', headers });
  const answered = new Promise<{ status: number; body: string; headers: IncomingHttpHeaders }>((resolve, reject) => {
    req.once('error', reject);
    req.once('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.once('error', reject);
      res.once('end', () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
  });
  // a failing body destroys the request, which rejects `answered`
  pipeline(body, req).catch(() => {});
  const result = await answered;
  // the subgraph answered before reading everything (it refused the upload): the rest is not needed
  if (!req.writableFinished) {
    body.destroy();
    req.destroy();
  }
  return result;
}

/** The query parameters of a signed file link; nothing else is passed on. */
const LINK_PARAMS = ['expires', 'filename', 'signature'];

/**
 * Signed file links (the local storage adapter's downloads and direct uploads) are served by the
 * shop; the gateway, the only public address, passes them through as streams both ways. Only a
 * well-formed object key is forwarded, rebuilt from its decoded segments: a path the shop's URL
 * would resolve elsewhere (`%2e%2e/metrics`, an encoded slash) never leaves the gateway.
 */
export function filesProxy(shopUrl: string): RequestHandler {
  return (req, res) => {
    const refuse = (status: number, code: string, message: string) => {
      discardBody(req);
      res.status(status).json({ errors: [{ message, extensions: { code } }] });
    };
    if (req.method !== 'GET' && req.method !== 'HEAD' && req.method !== 'PUT')
      return refuse(405, 'BAD_USER_INPUT', `${req.method} is not allowed on file links`);
    const path = req.url.split('?', 1)[0] ?? '';
    const key = fileKeyOf(path);
    if (key === null) return refuse(404, 'NOT_FOUND', 'No such file link');
    const target = new URL(`/files/${key.split('/').map(encodeURIComponent).join('/')}`, shopUrl);
    const query = new URL(req.url, 'http://gateway.invalid').searchParams;
    for (const name of LINK_PARAMS) {
      const value = query.get(name);
      if (value !== null) target.searchParams.set(name, value);
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'content-length']) if (typeof req.headers[name] === 'string') headers[name] = req.headers[name];
    const upstream = httpRequest(target, { method: req.method, headers }, (answer) => {
      res.status(answer.statusCode ?? 502);
      for (const name of ['content-type', 'content-length', 'content-disposition']) if (answer.headers[name]) res.setHeader(name, answer.headers[name]);
      answer.pipe(res);
      // the shop answered before the whole body came (refused, or the client stalled): the rest
      // is not forwarded, a bounded part of it is read and dropped, then the connection closes
      answer.once('end', () => {
        if (req.complete) return;
        req.unpipe(upstream);
        discardBody(req);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.status(502).json({ errors: [{ message: 'File service unavailable', extensions: { code: 'SERVICE_UNAVAILABLE' } }] });
      else res.destroy();
    });
    req.on('close', () => {
      if (!req.complete) upstream.destroy();
    });
    req.pipe(upstream);
  };
}
