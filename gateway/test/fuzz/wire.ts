import { request } from 'node:http';

// Requests put on the wire byte for byte (node:http with our own framing headers), and the
// verdict on what came back: an answer below 500 whose GraphQL errors all carry a code.

export interface WireRequest {
  method: 'GET' | 'POST';
  /** Path and query string, e.g. `/graphql?query=...`. */
  path: string;
  headers: Record<string, string>;
  body?: Buffer;
  /**
   * `complete`: the whole request is sent and an answer is owed. `abort`: the client sends the
   * body only up to `body.length` of a larger declared length and then goes away (no answer owed;
   * one that comes early is judged like any other). `refuse-early`: like `abort`, but the headers
   * alone must draw a refusal (a declared size over the limit).
   */
  ending?: 'complete' | 'abort' | 'refuse-early';
  /**
   * The body is over the server's limit: it may answer and close before reading it all, and the
   * client may then see the connection reset while it is still writing (RFC 9112 §9.6 allows that).
   */
  oversized?: boolean;
}

export type WireOutcome =
  | { kind: 'answer'; status: number; contentType: string; text: string }
  | { kind: 'reset'; error: string }
  | { kind: 'stall' }
  | { kind: 'abandoned' };

/** A request's answer, or what happened instead; `stallMs` bounds the wait for a complete request. */
export function send(baseUrl: string, wire: WireRequest, stallMs: number): Promise<WireOutcome> {
  const url = new URL(wire.path, baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: WireOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = request(url, { method: wire.method, headers: wire.headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      const contentType = String(res.headers['content-type'] ?? '');
      const done = () => finish({ kind: 'answer', status: res.statusCode ?? 0, contentType, text: Buffer.concat(chunks).toString('utf8') });
      // a stream (SSE, incremental delivery) stays open by design: its status and first bytes are the answer
      if (/event-stream|multipart\/mixed/.test(contentType)) {
        res.once('data', (chunk: Buffer) => {
          chunks.push(chunk);
          done();
        });
      }
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', done);
      res.on('error', done);
      res.on('aborted', done);
    });
    const timer = setTimeout(() => finish(wire.ending === 'abort' ? { kind: 'abandoned' } : { kind: 'stall' }), wire.ending === 'abort' ? 1500 : stallMs);
    req.on('error', (error: NodeJS.ErrnoException) => {
      // a client that goes away mid-body is owed nothing
      if (wire.ending === 'abort') finish({ kind: 'abandoned' });
      else finish({ kind: 'reset', error: error.code ?? error.message });
    });
    if (wire.body) req.write(wire.body);
    if (wire.ending === 'complete' || wire.ending === undefined) req.end();
    else req.flushHeaders();
  });
}

interface GraphQLErrorShape {
  message?: unknown;
  extensions?: { code?: unknown };
}

/**
 * Why an outcome is not acceptable for a client's mistake, or null when it is: a 5xx, no answer
 * to a complete request, or a GraphQL error without `extensions.code`.
 */
export function verdict(wire: WireRequest, outcome: WireOutcome): string | null {
  if (outcome.kind === 'stall') return 'no answer within the stall limit (stall)';
  if (outcome.kind === 'reset') return wire.ending === 'abort' || wire.oversized ? null : `connection closed without an answer (${outcome.error})`;
  if (outcome.kind === 'answer' && wire.ending === 'refuse-early' && outcome.status !== 413)
    return `HTTP ${outcome.status} where 413 was due: ${outcome.text.slice(0, 200)}`;
  if (outcome.kind === 'abandoned') return null;
  if (outcome.status >= 500) return `HTTP ${outcome.status}: ${outcome.text.slice(0, 300)}`;
  if (!/json/.test(outcome.contentType)) return null;
  let body: unknown;
  try {
    body = JSON.parse(outcome.text);
  } catch {
    return `a JSON answer that is not JSON: ${outcome.text.slice(0, 200)}`;
  }
  const answers = Array.isArray(body) ? body : [body];
  for (const answer of answers) {
    const errors = (answer as { errors?: GraphQLErrorShape[] } | null)?.errors;
    if (!Array.isArray(errors)) continue;
    for (const error of errors) {
      const code = error?.extensions?.code;
      if (typeof code !== 'string' || !code) return `an error without extensions.code: ${JSON.stringify(error).slice(0, 300)}`;
      if (code === 'INTERNAL_SERVER_ERROR') return `INTERNAL_SERVER_ERROR for a client's request: ${JSON.stringify(error).slice(0, 300)}`;
    }
  }
  return null;
}

/** A compact description of a request for a counterexample report. */
export function describeWire(wire: WireRequest): string {
  const body = wire.body ? wire.body.subarray(0, 600).toString('utf8') + (wire.body.length > 600 ? `… (${wire.body.length} bytes)` : '') : '';
  return `${wire.method} ${wire.path.slice(0, 400)} ${JSON.stringify(wire.headers)} ${wire.ending ?? 'complete'}\n${body}`;
}
