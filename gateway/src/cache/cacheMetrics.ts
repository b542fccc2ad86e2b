import type { Metrics } from '@fabline/shared/metrics';
import { Counter, Gauge } from 'prom-client';

const MAX_OPERATIONS = 100;
const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export type CacheMetrics = ReturnType<typeof createCacheMetrics>;

/** Cache counters on the process registry, labelled by operation name with bounded cardinality. */
export function createCacheMetrics({ registry }: Metrics) {
  const registers = [registry];
  const seen = new Set<string>();
  /**
   * Fast-path hits counted in plain numbers and added to the three counters when they are read:
   * three labelled prom-client updates cost more than the rest of the hit's bookkeeping together.
   */
  const pendingHits = new Map<string, { hits: number; bytes: number }>();
  const pendingNear = { hit: 0, miss: 0, off: 0 };
  function flushHits() {
    for (const result of ['hit', 'miss', 'off'] as const) {
      if (pendingNear[result] > 0) nearLookups.inc({ result }, pendingNear[result]);
      pendingNear[result] = 0;
    }
    for (const [operation, pending] of pendingHits) {
      if (pending.hits > 0) {
        lookups.inc({ operation, result: 'hit' }, pending.hits);
        fastPath.inc({ operation, outcome: 'hit' }, pending.hits);
      }
      if (pending.bytes > 0) bytes.inc({ operation, direction: 'read' }, pending.bytes);
      pending.hits = 0;
      pending.bytes = 0;
    }
  }
  const hitCounter = <L extends string>(name: string, help: string, labelNames: readonly L[]) =>
    new Counter<L>({ name, help, labelNames, registers, collect: flushHits });
  const lookups = hitCounter(
    'fabline_cache_lookups_total',
    'Response cache lookups by operation and result (hit, miss, error when Redis failed or the circuit was open)',
    ['operation', 'result'] as const,
  );
  const fastPath = hitCounter(
    'fabline_cache_fast_path_total',
    'Requests of known operations seen by the fast path, by operation and outcome (hit: answered before Apollo; handed_on: a miss, a Redis fault or a refusal, left to Apollo)',
    ['operation', 'outcome'] as const,
  );
  const nearLookups = hitCounter(
    'fabline_cache_near_lookups_total',
    'Lookups in the copy of the cache in process memory: hit (answered without Redis), miss, off (no lease: this replica cannot be sure it heard every invalidation)',
    ['result'] as const,
  );
  const bytes = hitCounter('fabline_cache_bytes_total', 'Bytes of cached responses read (hits) and written, by operation', ['operation', 'direction'] as const);
  return {
    /** Clients choose operation names: the first 100 distinct names get a label, the rest share `other`. */
    operation(name: string | null | undefined): string {
      if (!name) return 'anonymous';
      if (seen.has(name)) return name;
      if (seen.size >= MAX_OPERATIONS || !NAME.test(name)) return 'other';
      seen.add(name);
      return name;
    },
    lookups,
    fastPath,
    bytes,
    /** One request answered from the cache by the fast path, `read` bytes long. */
    fastPathHit(operation: string, read: number) {
      let pending = pendingHits.get(operation);
      if (!pending) {
        pending = { hits: 0, bytes: 0 };
        pendingHits.set(operation, pending);
      }
      pending.hits++;
      pending.bytes += read;
    },
    /** One lookup in process memory (counted like the fast path's hits). */
    nearLookup(result: keyof typeof pendingNear) {
      pendingNear[result]++;
    },
    nearInvalidations: new Counter({
      name: 'fabline_cache_near_invalidations_total',
      help: 'Invalidations this replica heard and dropped its copies for (and acknowledged)',
      registers,
    }),
    invalidationAcks: new Counter({
      name: 'fabline_cache_invalidation_acks_total',
      help: 'Invalidations this replica waited for, by result (acknowledged by every replica, lease_expired: one did not answer and stopped serving from memory when its lease ran out)',
      labelNames: ['result'] as const,
      registers,
    }),
    stores: new Counter({
      name: 'fabline_cache_stores_total',
      help: 'Responses offered to the cache by operation and result (stored, raced: an entity changed meanwhile, uncacheable, error)',
      labelNames: ['operation', 'result'] as const,
      registers,
    }),
    invalidations: new Counter({
      name: 'fabline_cache_invalidations_total',
      help: 'Invalidations by source (mutation, order_status, quote_ready, admin)',
      labelNames: ['source'] as const,
      registers,
    }),
    invalidatedEntries: new Counter({
      name: 'fabline_cache_invalidated_entries_total',
      help: 'Cached responses deleted by invalidations, by source',
      labelNames: ['source'] as const,
      registers,
    }),
    redisErrors: new Counter({
      name: 'fabline_cache_redis_errors_total',
      help: 'Cache Redis commands that failed or timed out, by command',
      labelNames: ['op'] as const,
      registers,
    }),
    circuitOpen: new Gauge({
      name: 'fabline_cache_circuit_open',
      help: '1 while the cache skips a failing Redis',
      registers,
    }),
  };
}
