import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

export interface GraphQLResult<T> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [key: string]: unknown } }[];
  headers: Headers;
}

export interface Credentials {
  token?: string;
  apiKey?: string;
  headers?: Record<string, string>;
}

/** A GraphQL POST the way a browser or partner sends it. */
export async function graphql<T = Record<string, unknown>>(
  url: string,
  query: string,
  variables: Record<string, unknown> = {},
  auth: Credentials = {},
): Promise<GraphQLResult<T>> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body };
}

/** Like `graphql`, but throws on errors and returns the data. */
export async function gql<T = Record<string, any>>(url: string, query: string, variables: Record<string, unknown> = {}, auth: Credentials = {}): Promise<T> {
  const result = await graphql<T>(url, query, variables, auth);
  if (result.errors?.length || !result.data) throw new Error(`GraphQL errors: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/**
 * A GraphQL multipart request (the spec apollo-upload-client implements) with one file at
 * `variables.file`, sent with the CSRF preflight header such clients send.
 */
export async function uploadFile<T = Record<string, any>>(
  url: string,
  query: string,
  file: { name: string; bytes: Uint8Array; type?: string },
  auth: Credentials = {},
) {
  const form = new FormData();
  form.append('operations', JSON.stringify({ query, variables: { file: null } }));
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', new Blob([file.bytes], { type: file.type ?? 'application/octet-stream' }), file.name);
  const headers: Record<string, string> = { 'apollo-require-preflight': 'true', ...auth.headers };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  if (auth.apiKey) headers['x-api-key'] = auth.apiKey;
  const response = await fetch(url, { method: 'POST', headers, body: form });
  const body = (await response.json()) as Omit<GraphQLResult<T>, 'status' | 'headers'>;
  return { status: response.status, headers: response.headers, ...body } as GraphQLResult<T>;
}

/**
 * The same GraphQL multipart request, streamed from a file on disk with node:http and 1 MB
 * reads: a client that is not itself the bottleneck when measuring the server side.
 */
export async function uploadFileFromDisk<T = Record<string, any>>(url: string, query: string, file: { name: string; path: string }, auth: Credentials = {}) {
  const boundary = `----fabline${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="operations"\r\n\r\n${JSON.stringify({ query, variables: { file: null } })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="map"\r\n\r\n${JSON.stringify({ 0: ['variables.file'] })}\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="0"; filename="${file.name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const { size } = await stat(file.path);
  const headers: Record<string, string> = {
    'content-type': `multipart/form-data; boundary=${boundary}`,
    'content-length': String(head.length + size + tail.length),
    'apollo-require-preflight': 'true',
    ...auth.headers,
  };
  if (auth.token) headers.authorization = `Bearer ${auth.token}`;
  return new Promise<GraphQLResult<T>>((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<GraphQLResult<T>, 'status' | 'headers'>;
        resolve({ status: res.statusCode ?? 0, headers: new Headers(res.headers as Record<string, string>), ...body });
      });
    });
    req.on('error', reject);
    req.write(head);
    const source = createReadStream(file.path, { highWaterMark: 1024 * 1024 });
    source.on('error', (error) => req.destroy(error));
    source.pipe(req, { end: false });
    source.on('end', () => req.end(tail));
  });
}

/** Retries `check` until it returns a value (not undefined) or the time is up. */
export async function eventually<T>(check: () => Promise<T | undefined>, { timeoutMs = 15_000, intervalMs = 100 } = {}): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
}

/** Reads one Prometheus counter family from a process's /metrics, summed by the label given. */
export async function scrapeCounter(metricsUrl: string, name: string, label: string): Promise<Record<string, number>> {
  const text = await (await fetch(metricsUrl)).text();
  const totals: Record<string, number> = {};
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    const match = new RegExp(`${label}="([^"]*)"`).exec(line);
    const key = match?.[1] ?? '';
    totals[key] = (totals[key] ?? 0) + value;
  }
  return totals;
}
