import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Viewer } from '@fabline/shared/auth';
import type { Metrics } from '@fabline/shared/metrics';
import type { Request, RequestHandler } from 'express';
import type { OperationMetrics } from '../observability/operationMetrics.ts';
import type { Admit, CostCheck } from '../traffic/admission.ts';
import { rateLimitHeaders } from '../traffic/admission.ts';
import { COST_HEADER } from '../traffic/plugin.ts';
import type { RateLimitDecision } from '../traffic/rateLimit.ts';
import type { ResolveViewer } from '../viewer.ts';
import { privateKey, publicKey, stableStringify } from './cacheKey.ts';
import type { CacheMetrics } from './cacheMetrics.ts';
import type { CacheStore } from './cacheStore.ts';

/** Bodies remembered by their bytes are at most this long (characters), and at most this many (≤ 16 MB in all). */
const MAX_REMEMBERED_BODY = 8 * 1024;
const MAX_REMEMBERED_BODIES = 2000;

/** A query Apollo has already parsed, validated, checked and cached for one kind of caller. */
export interface KnownOperation {
  /** The entry keys' common prefix (see cacheKeys). */
  base: string;
  /** The resolved operation name, for metrics. */
  operationName: string | null;
  /** The cache metrics' label of the operation. */
  label: string;
  /** The estimate traffic control admitted it with (absent when traffic control is off). */
  cost?: CostCheck;
}

/**
 * What the fast path may skip Apollo for: a request body (query text or persisted id, operation
 * name, variables) sent by a caller of one role and plan, whose answer Apollo has cached. Every
 * check that decides whether a request may run (manifest, introspection, partner contract,
 * operation limits, cost budget) depends on nothing else, so it passed for every such request.
 */
export class KnownOperations {
  private readonly operations = new Map<string, KnownOperation>();

  constructor(private readonly max = 10_000) {}

  /** Per kind of caller (its prefix), request bodies exactly as sent: the operation they were found to ask for. */
  private readonly bodies = new Map<string, Map<string, KnownOperation>>();
  private rememberedBodies = 0;

  /** What every key of one kind of caller (role and plan) starts with. */
  static callerPrefix(viewer: (Pick<Viewer, 'role'> & { plan?: string }) | null) {
    return `${viewer?.role ?? 'ANONYMOUS'}\u0000${viewer?.plan ?? ''}\u0000`;
  }

  /** What a key holds besides the document (query text or persisted id), which is appended to it. */
  static prefix(operationName: unknown, variables: unknown, viewer: (Pick<Viewer, 'role'> & { plan?: string }) | null) {
    const name = typeof operationName === 'string' ? operationName : '';
    return `${KnownOperations.callerPrefix(viewer)}${name}\u0000${stableStringify(variables ?? {})}\u0000`;
  }

  remember(keys: string[], operation: KnownOperation) {
    if (this.operations.size + keys.length > this.max) this.clear();
    for (const key of keys) this.operations.set(key, operation);
  }

  get(key: string) {
    return this.operations.get(key);
  }

  /** Remembers that a body sent by a kind of caller asks for a known operation; only short bodies, a few thousand. */
  rememberBody(caller: string, body: string, operation: KnownOperation) {
    if (body.length > MAX_REMEMBERED_BODY) return;
    if (this.rememberedBodies >= MAX_REMEMBERED_BODIES) this.clearBodies();
    let bodies = this.bodies.get(caller);
    if (!bodies) {
      bodies = new Map();
      this.bodies.set(caller, bodies);
    }
    if (!bodies.has(body)) this.rememberedBodies++;
    bodies.set(body, operation);
  }

  /** The operation a body was found to ask for (looked up without joining caller and body into one key). */
  getBody(caller: string, body: string) {
    return this.bodies.get(caller)?.get(body);
  }

  private clearBodies() {
    this.bodies.clear();
    this.rememberedBodies = 0;
  }

  get size() {
    return this.operations.size;
  }

  /** A new supergraph: every key changes. */
  clear() {
    this.operations.clear();
    this.clearBodies();
  }
}

/** What the fast path learned about a request it handed on to Apollo. */
export const handedOn = new WeakMap<object, { admission: RateLimitDecision | null }>();

export interface CacheFastPathOptions {
  known: KnownOperations;
  store: CacheStore;
  metrics: CacheMetrics;
  resolveViewer: ResolveViewer;
  /** Traffic control's charge; null when it is off. */
  admit: Admit | null;
  operationMetrics: Pick<OperationMetrics, 'observe'>;
  /** The process's HTTP request histogram, observed for requests answered before express. */
  httpDuration: Metrics['httpDuration'];
}

const JSON_TYPE = 'application/json';
const JSON_TYPE_UTF8 = `${JSON_TYPE}; charset=utf-8`;
const HIT_LABELS = { method: 'POST', route: '/graphql', status: '200' } as const;
/** Bodies the front reads itself; larger ones go to express as they are. */
const MAX_FRONT_BODY = 64 * 1024;

type Incoming = IncomingMessage & { ip?: string; body?: unknown };

/**
 * Answers cache hits of known operations before Apollo parses anything: one Redis round trip
 * for the entry and the caller's rate limit together, then the stored JSON as it was written.
 * Anything unusual (batches, extensions, `accept` other than JSON, a cost report, an unknown
 * operation, a miss, a refusal) goes on to Apollo, which decides and answers exactly as before;
 * a request already charged carries its decision along so it is not charged twice.
 *
 * Two mount points for the one function: `front` sits before express (it reads small JSON
 * bodies itself and leaves them parsed on the request for express), `middleware` after express's
 * body parser, for when a request must pass express first (tracing on: the server span).
 */
/**
 * The body as JSON, left on the request for express (whose parser then finds the request read and
 * keeps it); undefined, with the reason, when it is not a JSON object or array, which express's
 * parser (strict) would refuse.
 */
function parseBody(req: Incoming, text: string): unknown {
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object') req.body = body;
    else invalidBodies.set(req, 'The request body must be a JSON object (or an array of them, a batch)');
  } catch (error) {
    invalidBodies.set(req, (error as Error).message);
  }
  return req.body;
}

/** Why a body the front read is not JSON: it answers 400 itself, as express's parser would have. */
const invalidBodies = new WeakMap<object, string>();

/** The answer of express's JSON parser and the gateway's error handler to a body that is not JSON. */
function refuseInvalidBody(res: ServerResponse, message: string, requestId: string) {
  const payload = JSON.stringify({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
  res.writeHead(400, ['content-type', JSON_TYPE_UTF8, 'content-length', String(Buffer.byteLength(payload)), 'x-request-id', requestId]);
  res.end(payload);
}

export function cacheFastPath(options: CacheFastPathOptions) {
  const { known, store, metrics, resolveViewer, admit, operationMetrics } = options;

  /** The known operation a parsed body asks for, if it is one the fast path may answer. */
  function knownOperation(body: unknown, viewer: (Viewer & { plan?: string }) | null): KnownOperation | undefined {
    if (!body || typeof body !== 'object' || Array.isArray(body)) return undefined;
    const fields = body as Record<string, unknown>;
    const text = typeof fields.query === 'string' ? fields.query : undefined;
    const extensions = fields.extensions as Record<string, unknown> | undefined;
    let id: string | undefined;
    if (extensions !== undefined) {
      const persisted = extensions && typeof extensions === 'object' ? (extensions.persistedQuery as { sha256Hash?: unknown } | undefined) : undefined;
      // a registration (text and id) or anything besides a persisted id is Apollo's to check
      if (text !== undefined || Object.keys(extensions ?? {}).length !== 1 || typeof persisted?.sha256Hash !== 'string') return undefined;
      id = persisted.sha256Hash;
    }
    const document = text ?? id;
    if (document === undefined) return undefined;
    return known.get(KnownOperations.prefix(fields.operationName, fields.variables, viewer) + document);
  }

  /**
   * True when it answered; otherwise the request is untouched but for what it learned.
   * `requestId`: the id `front` gave the request, sent with the answer (express sends its own).
   */
  async function answer(req: Incoming, res: ServerResponse, body: unknown, raw?: { text: string; requestId: string }): Promise<boolean> {
    const started = process.hrtime.bigint();
    const accept = req.headers.accept;
    if (accept && accept !== '*/*' && !accept.startsWith(JSON_TYPE)) return false;
    if (req.headers[COST_HEADER] !== undefined) return false;
    let viewer: (Viewer & { plan?: string }) | null;
    try {
      viewer = await resolveViewer(req as unknown as Request);
    } catch {
      return false;
    }
    // the same bytes from the same kind of caller name the same operation: no parse, no key to build
    const caller = raw ? KnownOperations.callerPrefix(viewer) : '';
    let operation = raw && known.getBody(caller, raw.text);
    if (!operation) {
      if (raw) body = parseBody(req, raw.text);
      operation = knownOperation(body, viewer);
      if (!operation) return false;
      if (raw) known.rememberBody(caller, raw.text, operation);
    }

    const keys = viewer ? [privateKey(operation.base, viewer.id), publicKey(operation.base)] : [publicKey(operation.base)];
    const ip = req.ip ?? req.socket.remoteAddress;
    const charge = admit && operation.cost ? admit({ viewer, ip }, operation.cost) : undefined;
    const [found, admission] = await Promise.all([store.lookup(keys), charge]);
    const entry = found?.entries.find((e) => e !== null);
    if (!found || !entry || (admission && !admission.allowed)) {
      if (raw && req.body === undefined) parseBody(req, raw.text);
      if (charge) handedOn.set(req, { admission: admission ?? null });
      metrics.fastPath.inc({ operation: operation.label, outcome: 'handed_on' });
      return false;
    }

    metrics.fastPathHit(operation.label, found.bytes);
    const payload = `${entry.json}\n`;
    // the whole header block in one call: no per-header bookkeeping for a response sent at once
    const headers = [
      'content-type',
      JSON_TYPE_UTF8,
      'cache-control',
      `max-age=${entry.maxAge}, ${entry.scope === 'PUBLIC' ? 'public' : 'private'}`,
      'content-length',
      String(Buffer.byteLength(payload)),
    ];
    if (raw) headers.push('x-request-id', raw.requestId);
    if (entry.scope === 'PUBLIC') headers.push('age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
    if (admission) for (const [name, value] of rateLimitHeaders(admission)) headers.push(name, value);
    res.writeHead(200, headers);
    res.end(payload);
    const clientName = req.headers['apollographql-client-name'];
    operationMetrics.observe(
      operation.operationName,
      'query',
      typeof clientName === 'string' ? clientName : undefined,
      viewer,
      Number(process.hrtime.bigint() - started) / 1e9,
    );
    return true;
  }

  const middleware: RequestHandler = (req, res, next) => {
    if (known.size === 0 || req.method !== 'POST') return next();
    answer(req, res, req.body).then((done) => done || next(), next);
  };

  /** Before express: small JSON POSTs to /graphql, read here and left parsed (`req.body`) for express. */
  const front = (req: Incoming, res: ServerResponse, next: () => void) => {
    const length = Number(req.headers['content-length']);
    if (
      known.size === 0 ||
      req.method !== 'POST' ||
      (req.url !== '/graphql' && !req.url?.startsWith('/graphql?')) ||
      !req.headers['content-type']?.startsWith(JSON_TYPE) ||
      !(length > 0 && length <= MAX_FRONT_BODY) ||
      req.headers['content-encoding'] ||
      req.headers['x-request-id']
    ) {
      return next();
    }
    const started = process.hrtime.bigint();
    // express gives the request its own id (and header) when it goes on to it
    const requestId = randomUUID();
    (req as Incoming & { id?: string }).id = requestId;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('error', () => next());
    req.on('end', () => {
      const text = (chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)).toString('utf8');
      answer(req, res, undefined, { text, requestId }).then(
        (done) => {
          if (!done) {
            // express's body parser finds the request read and keeps what was parsed; it cannot read
            // a body that is not JSON again, so that one is refused here, as express would refuse it
            if (req.body === undefined) parseBody(req, text);
            const invalid = invalidBodies.get(req);
            if (invalid !== undefined) return refuseInvalidBody(res, invalid, requestId);
            return next();
          }
          options.httpDuration.observe(HIT_LABELS, Number(process.hrtime.bigint() - started) / 1e9);
        },
        () => {
          if (req.body === undefined) parseBody(req, text);
          const invalid = invalidBodies.get(req);
          if (invalid !== undefined) return refuseInvalidBody(res, invalid, requestId);
          next();
        },
      );
    });
  };

  return { middleware, front };
}

export type CacheFastPath = ReturnType<typeof cacheFastPath>;
