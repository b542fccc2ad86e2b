import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
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
  async function* parts(): AsyncGenerator<Uint8Array> {
    const encoder = new TextEncoder();
    yield encoder.encode(field('operations', operations) + field('map', map));
    for (const [i, upload] of uploads.entries()) {
      const file = await upload.file;
      yield encoder.encode(
        `--${boundary}\r\nContent-Disposition: form-data; name="${i}"; filename="${quote(file.filename)}"\r\nContent-Type: ${quote(file.mimetype || 'application/octet-stream')}\r\n\r\n`,
      );
      const stream: Readable = file.createReadStream();
      try {
        for await (const chunk of stream) yield chunk as Uint8Array;
      } catch (error) {
        failure = error;
        throw error;
      }
      yield encoder.encode('\r\n');
    }
    yield encoder.encode(`--${boundary}--\r\n`);
  }
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: ReadableStream.from(parts()), failure: () => failure };
}
