import { withTimeout as sharedTimeout } from '@fabline/shared/http';
import type { Redis } from '@fabline/shared/redis';
import { type CachedEntry, decodeEntry } from './cachedEntry.ts';
import type { CacheMetrics } from './cacheMetrics.ts';
import { CircuitBreaker } from './circuitBreaker.ts';
import { NearCache } from './nearCache.ts';

/**
 * Layout in Redis (under the namespace prefix):
 * - `rc:<schema>:<operation>:public|private:<viewer>`  the entry: `storedAtMs\nmaxAge\nscope\n<json>`
 * - `rc:tag:<tag>`   sorted set of entry keys scored by expiry, so expired members can be trimmed
 * - `rc:inv:<tag>`   the epoch at which `<tag>` was last invalidated (kept for a while)
 * - `rc:epoch`       incremented by every invalidation
 * - `rc:flushed`     the epoch of the last flush: entries stored at an earlier epoch are dead
 * A request reads the epoch with its lookup; its store is refused when one of its tags was invalidated
 * after that, so a response read before a change can never be written back after the change's
 * invalidation.
 *
 * An invalidation can be lost while Redis is unreachable (and so can the status events that carry
 * them). So after any Redis failure this gateway flushes, by raising `rc:flushed` to a new epoch,
 * before it serves from the cache again: what was cached before an outage is never served after it.
 */
const EPOCH = 'rc:epoch';
const FLUSHED = 'rc:flushed';
// ARGV: the near caches' channel ('' when there are none), the announcement's id (its first line)
const FLUSH = `local e = redis.call('INCR', KEYS[1]) redis.call('SET', KEYS[2], e)
if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], ARGV[2] .. '\\n*') end
return e`;
const tagKey = (tag: string) => `rc:tag:${tag}`;
const invKey = (tag: string) => `rc:inv:${tag}`;
/** Longer than any request can take. */
const INVALIDATION_MEMORY_S = 600;

const STORE = `
local n = (#KEYS - 1) / 2
local start = tonumber(ARGV[3])
for i = 1, n do
  local v = redis.call('GET', KEYS[n + 1 + i])
  if v and tonumber(v) > start then return 0 end
end
local now = tonumber(ARGV[4])
local expires = now + tonumber(ARGV[2]) * 1000
redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
for i = 1, n do
  local set = KEYS[1 + i]
  redis.call('ZADD', set, expires, KEYS[1])
  redis.call('ZREMRANGEBYSCORE', set, '-inf', now)
  if redis.call('PTTL', set) < expires - now then redis.call('PEXPIRE', set, expires - now) end
end
return 1`;

// ARGV: memory of invalidated tags (s), the near caches' channel ('' when there are none), the
// announcement's id, the most keys it lists (beyond: "*"). Announced even when nothing was
// deleted: its acknowledgements then prove that every replica has handled the announcements before
// it. Returns { entries deleted, replicas told }.
const INVALIDATE = `
local n = (#KEYS - 1) / 2
local epoch = redis.call('INCR', KEYS[#KEYS])
local deleted = 0
local announced = {}
local most = tonumber(ARGV[4])
for i = 1, n do
  redis.call('SET', KEYS[n + i], epoch, 'EX', ARGV[1])
  local members = redis.call('ZRANGE', KEYS[i], 0, -1)
  for j = 1, #members, 500 do
    deleted = deleted + redis.call('DEL', unpack(members, j, math.min(j + 499, #members)))
  end
  for j = 1, #members do
    if #announced <= most then announced[#announced + 1] = members[j] end
  end
  redis.call('DEL', KEYS[i])
end
local told = 0
if ARGV[2] ~= '' then
  local body = #announced > most and '*' or table.concat(announced, '\\n')
  if #announced == 0 then told = redis.call('PUBLISH', ARGV[2], ARGV[3])
  else told = redis.call('PUBLISH', ARGV[2], ARGV[3] .. '\\n' .. body) end
end
return { deleted, told }`;

/** The shared timeout (see `@fabline/shared/http`), worded for cache commands. */
export const withTimeout = <T>(promise: Promise<T>, ms: number) => sharedTimeout(promise, ms, `cache command took longer than ${ms} ms`);

export interface CacheStoreOptions {
  /** Fails fast: command timeout, no offline queue. Used on the request path. */
  redis: Redis;
  /** Patient (offline queue, retries): invalidations must not be lost to a blip. */
  control: Redis;
  metrics: CacheMetrics;
  /** A request-path command slower than this counts as a failure. @default 50 */
  timeoutMs?: number;
  /**
   * An invalidation Redis has not answered by then counts as lost (everything cached is flushed
   * once Redis answers again), so a hung Redis cannot hold mutations and purges forever. @default 2000
   */
  invalidationTimeoutMs?: number;
  /** The copy in process memory (see nearCache.ts); without it every lookup asks Redis. */
  near?: NearCache;
  /** Entries live in Redis at most this long, whatever their max-age; so do copies. @default 3600 */
  maxTtlSeconds?: number;
}

/** How an invalidation ended: entries deleted, and whether every replica has dropped its copies. */
export interface Invalidated {
  entries: number;
  /** `lease_expired`: a replica did not answer in time, and has stopped serving from memory since. */
  replicas: 'acknowledged' | 'lease_expired' | 'no near caches';
}

/** Redis access for the response cache; every request-path call degrades to "no cache" on failure. */
export class CacheStore {
  private readonly breaker: CircuitBreaker;
  /** Set by any Redis failure: flush before serving from the cache again. */
  private mustFlush = false;

  constructor(private readonly options: CacheStoreOptions) {
    this.breaker = new CircuitBreaker({ onChange: (open) => options.metrics.circuitOpen.set(open ? 1 : 0) });
  }

  private async guarded<T>(op: string, call: () => Promise<T>): Promise<T | undefined> {
    if (!this.breaker.allow()) {
      this.options.metrics.redisErrors.inc({ op: 'skipped' });
      return undefined;
    }
    try {
      const result = await withTimeout(call(), this.options.timeoutMs ?? 50);
      this.breaker.success();
      return result;
    } catch {
      this.breaker.failure();
      this.mustFlush = true;
      this.options.metrics.redisErrors.inc({ op });
      return undefined;
    }
  }

  /**
   * The current epoch and the live entries at `keys` (null where none), in one round trip;
   * undefined when Redis failed or a flush owed since a failure could not be made yet.
   */
  async lookup(keys: string[]): Promise<{ epoch: number; entries: (CachedEntry | null)[]; bytes: number; near?: true } | undefined> {
    const { near } = this.options;
    if (near && !this.mustFlush) {
      const held = await near.get(keys);
      if (held) {
        this.options.metrics.nearLookup('hit');
        // a hit is not stored again: the epoch is never read
        return { epoch: -1, ...held, near: true };
      }
      this.options.metrics.nearLookup(near.serving ? 'miss' : 'off');
    }
    if (this.mustFlush) {
      // part of the lookup: its failures count as lookup errors
      const flushed = await this.guarded('lookup', () => this.options.redis.eval(FLUSH, 2, EPOCH, FLUSHED, near?.channel ?? '', near?.announce() ?? ''));
      if (flushed === undefined) return undefined;
      this.mustFlush = false;
      this.options.metrics.invalidations.inc({ source: 'flush-after-outage' });
    }
    const mark = near?.mark() ?? 0;
    const result = await this.guarded('lookup', () => this.options.redis.mget(EPOCH, FLUSHED, ...keys));
    if (!result) return undefined;
    const flushedAt = Number(result[1] ?? 0);
    const raw = result.slice(2);
    const entries = raw.map((value) => {
      const entry = value ? decodeEntry(value) : null;
      return entry && entry.epoch >= flushedAt ? entry : null;
    });
    const found = { epoch: Number(result[0] ?? 0), entries, bytes: raw.reduce((sum, value) => sum + (value?.length ?? 0), 0) };
    near?.fill(keys, found, mark, this.options.maxTtlSeconds ?? 3600);
    return found;
  }

  /** Writes an entry with its tags unless a tag was invalidated after `startEpoch`. */
  async store(key: string, value: string, ttlSeconds: number, tags: string[], startEpoch: number): Promise<'stored' | 'raced' | 'error'> {
    const keys = [key, ...tags.map(tagKey), ...tags.map(invKey)];
    const result = await this.guarded('store', () => this.options.redis.eval(STORE, keys.length, ...keys, value, ttlSeconds, startEpoch, Date.now()));
    if (result === undefined) return 'error';
    return result === 1 ? 'stored' : 'raced';
  }

  /**
   * Deletes every entry tagged with one of `tags`, and resolves once every replica has dropped its
   * copies in memory (or its lease has run out): what the caller answers next is never older.
   */
  async invalidate(tags: string[]): Promise<Invalidated> {
    const { near } = this.options;
    if (tags.length === 0) return { entries: 0, replicas: near ? 'acknowledged' : 'no near caches' };
    const keys = [...tags.map(tagKey), ...tags.map(invKey), EPOCH];
    const announcement = near?.announce();
    const acks = announcement ? near?.awaitAcks(announcement) : undefined;
    let reply: [number, number];
    try {
      reply = (await withTimeout(
        this.options.control.eval(INVALIDATE, keys.length, ...keys, INVALIDATION_MEMORY_S, near?.channel ?? '', announcement ?? '', NearCache.maxAnnouncedKeys),
        this.options.invalidationTimeoutMs ?? 2000,
      )) as [number, number];
    } catch (error) {
      acks?.cancel();
      // a lost invalidation: everything cached so far is suspect
      this.mustFlush = true;
      throw error;
    }
    const entries = Number(reply[0]);
    if (!near || !acks) return { entries, replicas: 'no near caches' };
    const replicas = await acks.heardBy(Number(reply[1]));
    this.options.metrics.invalidationAcks.inc({ result: replicas });
    return { entries, replicas };
  }
}
