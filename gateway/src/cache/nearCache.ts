import { randomBytes } from 'node:crypto';
import { withTimeout } from '@fabline/shared/http';
import type { Logger } from '@fabline/shared/logger';
import { channelName, type Redis } from '@fabline/shared/redis';
import type { CachedEntry } from './cachedEntry.ts';
import type { CacheMetrics } from './cacheMetrics.ts';

/** What a lookup found: the entries at its keys (null where none) and the bytes read. */
export interface Found {
  entries: (CachedEntry | null)[];
  bytes: number;
}

interface Held {
  /** Where the entry was found among the lookup's keys. */
  index: number;
  entry: CachedEntry;
  bytes: number;
  /** Redis keys (without the namespace) whose deletion drops this copy. */
  key: string;
  /** No later than the entry's own expiry in Redis. */
  expiresAt: number;
}

export interface NearCacheOptions {
  /** The connection that hears invalidations: in subscriber mode once started. */
  subscriber: Redis;
  /** Where acknowledgements are published from. */
  control: Redis;
  namespace: string;
  metrics: CacheMetrics;
  logger: Logger;
  /** Bytes of entries held in this process. */
  maxBytes: number;
  /**
   * How long this replica may serve from memory after the last moment Redis is known to have
   * delivered every invalidation to it (the send time of a ping it got the answer to); also how
   * long an invalidation waits for a replica that does not acknowledge it. @default 250
   */
  leaseMs?: number;
  now?: () => number;
}

/** A deletion of this many keys or more is announced as "drop everything". */
const MAX_ANNOUNCED_KEYS = 500;

/** Where the copy for one lookup (its keys, most specific first) is held. */
const lookupKey = (keys: string[]) => (keys.length === 1 ? (keys[0] as string) : keys.join('\n'));

/**
 * The response cache's copy in process memory, in front of Redis, that is never staler than Redis:
 *
 * - Every invalidation (the Lua script that deletes entries, and a flush) publishes the keys it
 *   deleted on one channel in the same atomic step; every replica drops its copies when it hears
 *   them and acknowledges to the invalidating replica. An invalidation is complete when every
 *   replica subscribed at that moment has acknowledged, or when the lease below has run out for
 *   those that did not: mutations (read-your-writes) and the admin route answer only then.
 * - A replica serves from memory only while its lease holds: it pings Redis on the subscriber
 *   connection every quarter lease, and a pong proves that every message published before Redis
 *   ran that ping has been handled (one connection, in order). A replica that cannot hear (Redis
 *   away, connection stalled, process paused) stops serving from memory within the lease, and
 *   drops everything when its connection closes.
 * - A copy is taken from a Redis lookup only if no invalidation was handled while the lookup was
 *   in flight; an invalidation that Redis ran after the lookup names the key and drops the copy.
 * - A hit waits for the end of the current event-loop poll, so an invalidation that arrived
 *   before the request is handled before the request is answered.
 */
export class NearCache {
  readonly replicaId = randomBytes(8).toString('hex');
  readonly channel: string;
  private readonly ackChannel: string;
  private readonly prefix: string;
  private readonly leaseMs: number;
  private readonly now: () => number;
  private readonly held = new Map<string, Held>();
  /** Lookup keys (joined) holding a copy of each Redis key. */
  private readonly byKey = new Map<string, Set<string>>();
  private bytes = 0;
  /** Bumped by every invalidation handled: a lookup in flight across one must not fill. */
  private generation = 0;
  private leaseUntil = 0;
  /** True from a confirmed subscription until the connection closes. */
  private listening = false;
  /** Counts the times it went deaf: a pong counts only for a ping sent since the last. */
  private connections = 0;
  private timer: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly waiting = new Map<string, { needed: number; acked: number; done: () => void }>();

  constructor(private readonly options: NearCacheOptions) {
    this.channel = channelName(options.namespace, 'rc:invalidated');
    this.ackChannel = channelName(options.namespace, `rc:ack:${this.replicaId}`);
    this.prefix = `${options.namespace}:`;
    this.leaseMs = options.leaseMs ?? 250;
    this.now = options.now ?? Date.now;
  }

  async start() {
    const { subscriber } = this.options;
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel === this.channel) this.heard(raw);
      else if (channel === this.ackChannel) this.acked(raw);
    });
    subscriber.on('close', () => this.deaf('connection closed'));
    // resubscribed after a reconnect (ioredis does so itself too): pings count again only from then on
    subscriber.on('ready', () => {
      if (!this.listening) this.subscribe().catch(() => {});
    });
    await this.subscribe();
    this.timer = setInterval(() => this.ping(), Math.max(1, Math.floor(this.leaseMs / 4)));
    this.timer.unref();
  }

  stop() {
    clearInterval(this.timer);
    // invalidations still waiting end on their lease timers
    this.deaf('stopped');
  }

  private async subscribe() {
    await this.options.subscriber.subscribe(this.channel, this.ackChannel);
    this.listening = true;
    this.ping();
  }

  private ping() {
    if (!this.listening || this.options.subscriber.status !== 'ready') return;
    const sent = this.now();
    const connection = this.connections;
    this.options.subscriber.ping().then(
      () => {
        // a ping from before a reconnect (ioredis resends those) proves nothing about the new subscription
        if (this.connections === connection) this.leaseUntil = Math.max(this.leaseUntil, sent + this.leaseMs);
      },
      () => {},
    );
  }

  /** Cannot hear invalidations any more: serve nothing from memory until subscribed again. */
  private deaf(why: string) {
    if (this.listening) this.options.logger.info({ why }, 'near cache off until invalidations can be heard again');
    this.listening = false;
    this.connections++;
    this.leaseUntil = 0;
    this.clear();
  }

  private clear() {
    this.generation++;
    this.held.clear();
    this.byKey.clear();
    this.bytes = 0;
  }

  /** An invalidation: its id (`<replica>.<n>`), then the deleted keys, one per line, or `*` for all. */
  private heard(raw: string) {
    this.generation++;
    const lines = raw.split('\n');
    const id = lines[0] ?? '';
    const from = id.slice(0, id.indexOf('.'));
    if (lines[1] === '*') this.clear();
    else
      for (let i = 1; i < lines.length; i++) {
        const key = lines[i] as string;
        this.drop(key.startsWith(this.prefix) ? key.slice(this.prefix.length) : key);
      }
    this.options.metrics.nearInvalidations.inc();
    if (id && from) this.options.control.publish(channelName(this.options.namespace, `rc:ack:${from}`), id).catch(() => {});
  }

  private acked(id: string) {
    const wait = this.waiting.get(id);
    if (!wait) return;
    wait.acked++;
    if (wait.acked >= wait.needed) wait.done();
  }

  private drop(key: string) {
    const lookups = this.byKey.get(key);
    if (!lookups) return;
    this.byKey.delete(key);
    for (const lookup of lookups) this.forget(lookup);
  }

  private forget(lookup: string) {
    const held = this.held.get(lookup);
    if (!held) return;
    this.held.delete(lookup);
    this.bytes -= held.bytes;
    const lookups = this.byKey.get(held.key);
    lookups?.delete(lookup);
    if (lookups?.size === 0) this.byKey.delete(held.key);
  }

  get serving() {
    return this.listening && this.now() < this.leaseUntil;
  }

  /** The copy for these keys, after any invalidation already received has been handled. */
  async get(keys: string[]): Promise<Found | undefined> {
    if (!this.serving) return undefined;
    const lookup = lookupKey(keys);
    if (!this.held.has(lookup)) return undefined;
    await new Promise(setImmediate);
    const held = this.held.get(lookup);
    if (!held || !this.serving) return undefined;
    if (held.expiresAt <= this.now()) {
      this.forget(lookup);
      return undefined;
    }
    // least recently used goes first when memory is full
    this.held.delete(lookup);
    this.held.set(lookup, held);
    const entries: (CachedEntry | null)[] = keys.map(() => null);
    entries[held.index] = held.entry;
    return { entries, bytes: held.bytes };
  }

  /** The point a lookup starts at: pass it to `fill` with what Redis answered. */
  mark() {
    return this.generation;
  }

  /** Keeps what a Redis lookup found, unless an invalidation was handled since `mark`. */
  fill(keys: string[], found: Found, mark: number, maxTtlSeconds: number) {
    if (mark !== this.generation || !this.listening) return;
    const index = found.entries.findIndex((e) => e !== null);
    const entry = found.entries[index];
    if (!entry || found.bytes > this.options.maxBytes / 8) return;
    const expiresAt = entry.storedAt + Math.min(entry.maxAge, maxTtlSeconds) * 1000;
    if (expiresAt <= this.now()) return;
    const lookup = lookupKey(keys);
    this.forget(lookup);
    while (this.bytes + found.bytes > this.options.maxBytes) {
      const oldest = this.held.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
    const key = keys[index] as string;
    this.held.set(lookup, { index, entry, bytes: found.bytes, key, expiresAt });
    this.bytes += found.bytes;
    let lookups = this.byKey.get(key);
    if (!lookups) {
      lookups = new Set();
      this.byKey.set(key, lookups);
    }
    lookups.add(lookup);
  }

  /** A new invalidation's id, the first line of its announcement; acknowledgements go to the replica it names. */
  announce(): string {
    return `${this.replicaId}.${++this.sequence}`;
  }

  static readonly maxAnnouncedKeys = MAX_ANNOUNCED_KEYS;

  /**
   * Starts waiting for the acknowledgements of invalidation `id` (before it is sent: they can
   * arrive before its reply); `heardBy` then says how many replicas must answer.
   */
  awaitAcks(id: string): { heardBy: (receivers: number) => Promise<'acknowledged' | 'lease_expired'>; cancel: () => void } {
    let done!: () => void;
    const finished = new Promise<void>((resolve) => {
      done = resolve;
    });
    const wait = { needed: Number.POSITIVE_INFINITY, acked: 0, done };
    this.waiting.set(id, wait);
    const cancel = () => {
      this.waiting.delete(id);
      done();
    };
    return {
      cancel,
      heardBy: async (receivers) => {
        wait.needed = receivers;
        if (wait.acked >= receivers) {
          cancel();
          return 'acknowledged';
        }
        // a replica that heard it and does not answer stops serving from memory within its lease
        const outcome = await withTimeout(finished, this.leaseMs + 5, 'lease').then(
          () => 'acknowledged' as const,
          () => 'lease_expired' as const,
        );
        this.waiting.delete(id);
        return outcome;
      },
    };
  }
}
