import type { Viewer } from '@fabline/shared/auth';
import type { RequestHandler } from 'express';
import type { OperationMetrics } from '../observability/operationMetrics.ts';
import type { Admit, CostCheck } from '../traffic/admission.ts';
import { rateLimitHeaders } from '../traffic/admission.ts';
import { COST_HEADER } from '../traffic/plugin.ts';
import type { RateLimitDecision } from '../traffic/rateLimit.ts';
import type { ResolveViewer } from '../viewer.ts';
import { privateKey, stableStringify } from './cacheKey.ts';
import type { CacheMetrics } from './cacheMetrics.ts';
import type { CacheStore } from './cacheStore.ts';

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

  static key(document: string, operationName: unknown, variables: unknown, viewer: (Pick<Viewer, 'role'> & { plan?: string }) | null) {
    const name = typeof operationName === 'string' ? operationName : '';
    return `${viewer?.role ?? 'ANONYMOUS'}\u0000${viewer?.plan ?? ''}\u0000${name}\u0000${stableStringify(variables ?? {})}\u0000${document}`;
  }

  remember(keys: string[], operation: KnownOperation) {
    if (this.operations.size + keys.length > this.max) this.operations.clear();
    for (const key of keys) this.operations.set(key, operation);
  }

  get(key: string) {
    return this.operations.get(key);
  }

  get size() {
    return this.operations.size;
  }

  /** A new supergraph: every key changes. */
  clear() {
    this.operations.clear();
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
}

const JSON_TYPE = 'application/json';

/**
 * Answers cache hits of known operations before Apollo parses anything: one Redis round trip
 * for the entry and the caller's rate limit together, then the stored JSON as it was written.
 * Anything unusual (batches, extensions, `accept` other than JSON, a cost report, an unknown
 * operation, a miss, a refusal) goes on to Apollo, which decides and answers exactly as before;
 * a request already charged carries its decision along so it is not charged twice.
 */
export function cacheFastPath({ known, store, metrics, resolveViewer, admit, operationMetrics }: CacheFastPathOptions): RequestHandler {
  return async (req, res, next) => {
    const started = process.hrtime.bigint();
    const body = req.body as Record<string, unknown> | undefined;
    if (known.size === 0 || req.method !== 'POST' || !body || typeof body !== 'object' || Array.isArray(body)) return next();
    const accept = req.headers.accept;
    if (accept && accept !== '*/*' && !accept.startsWith(JSON_TYPE)) return next();
    if (req.headers[COST_HEADER] !== undefined) return next();
    const text = typeof body.query === 'string' ? body.query : undefined;
    const extensions = body.extensions as Record<string, unknown> | undefined;
    let id: string | undefined;
    if (extensions !== undefined) {
      const persisted = extensions && typeof extensions === 'object' ? (extensions.persistedQuery as { sha256Hash?: unknown } | undefined) : undefined;
      // a registration (text and id) or anything besides a persisted id is Apollo's to check
      if (text !== undefined || Object.keys(extensions ?? {}).length !== 1 || typeof persisted?.sha256Hash !== 'string') return next();
      id = persisted.sha256Hash;
    }
    const document = text ?? id;
    if (document === undefined) return next();
    let viewer: (Viewer & { plan?: string }) | null;
    try {
      viewer = await resolveViewer(req);
    } catch {
      return next();
    }
    const operation = known.get(KnownOperations.key(document, body.operationName, body.variables, viewer));
    if (!operation) return next();

    const keys = viewer ? [privateKey(operation.base, viewer.id), `${operation.base}:public`] : [`${operation.base}:public`];
    const apiKey = req.headers['x-api-key'];
    const charge = admit && operation.cost ? admit({ viewer, ip: req.ip, apiKey: typeof apiKey === 'string' ? apiKey : undefined }, operation.cost) : undefined;
    const [found, admission] = await Promise.all([store.lookup(keys), charge]);
    const entry = found?.entries.find((e) => e !== null);
    if (!found || !entry || (admission && !admission.allowed)) {
      if (charge) handedOn.set(req, { admission: admission ?? null });
      metrics.fastPath.inc({ operation: operation.label, outcome: 'handed_on' });
      return next();
    }

    metrics.fastPath.inc({ operation: operation.label, outcome: 'hit' });
    metrics.lookups.inc({ operation: operation.label, result: 'hit' });
    metrics.bytes.inc({ operation: operation.label, direction: 'read' }, found.bytes);
    const payload = `${entry.json}\n`;
    res.statusCode = 200;
    res.setHeader('content-type', `${JSON_TYPE}; charset=utf-8`);
    res.setHeader('cache-control', `max-age=${entry.maxAge}, ${entry.scope.toLowerCase()}`);
    if (entry.scope === 'PUBLIC') res.setHeader('age', String(Math.max(0, Math.floor((Date.now() - entry.storedAt) / 1000))));
    if (admission) for (const [name, value] of rateLimitHeaders(admission)) res.setHeader(name, value);
    res.setHeader('content-length', Buffer.byteLength(payload));
    res.end(payload);
    const clientName = req.headers['apollographql-client-name'];
    operationMetrics.observe(
      operation.operationName,
      'query',
      typeof clientName === 'string' ? clientName : undefined,
      viewer,
      Number(process.hrtime.bigint() - started) / 1e9,
    );
  };
}
