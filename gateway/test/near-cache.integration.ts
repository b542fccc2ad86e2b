import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@fabline/shared/logger';
import { createMetrics } from '@fabline/shared/metrics';
import { Redis, type RedisOptions } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { type CachedEntry, encodeEntry } from '../src/cache/cachedEntry.ts';
import { createCacheMetrics } from '../src/cache/cacheMetrics.ts';
import { CacheStore } from '../src/cache/cacheStore.ts';
import { NearCache } from '../src/cache/nearCache.ts';

// The copy of the response cache in each replica's memory, against the real Redis: several replicas
// in one process, each with its own three connections, as the gateway makes them.
const namespace = `fabline_test_${randomBytes(4).toString('hex')}`;
const LEASE_MS = 1000;
const connections: Redis[] = [];
const nears: NearCache[] = [];
const connection = (url = 'redis://127.0.0.1:6379', options: RedisOptions = {}) => {
  const redis = new Redis(url, { keyPrefix: `${namespace}:`, ...options });
  redis.on('error', () => {});
  connections.push(redis);
  return redis;
};
/** Plain commands, behind the cache's back. */
const direct = connection();
const logger = createLogger({ name: 'near-cache-test', level: 'silent' });

afterAll(async () => {
  for (const near of nears) near.stop();
  const keys = await direct.keys(`${namespace}:*`);
  if (keys.length) await direct.del(...keys.map((k) => k.slice(namespace.length + 1)));
  for (const redis of connections) redis.disconnect();
});

async function replica(options: { control?: Redis; maxBytes?: number } = {}) {
  const metrics = createCacheMetrics(createMetrics(`near-${nears.length}`));
  const subscriber = connection();
  const control = options.control ?? connection();
  const near = new NearCache({ subscriber, control, namespace, metrics, logger, maxBytes: options.maxBytes ?? 1024 * 1024, leaseMs: LEASE_MS });
  await near.start();
  nears.push(near);
  // the first pong: the lease holds from then on
  for (let i = 0; i < 100 && !near.serving; i++) await sleep(5);
  // lookups fail fast in production (50 ms); a loaded machine's round trip must not count as an outage here
  const store = new CacheStore({ redis: connection(), control, metrics, near, timeoutMs: 10_000 });
  const count = async (name: string, label = '') => {
    const line = (await metrics.nearInvalidations.get()).values;
    if (name === 'heard') return line[0]?.value ?? 0;
    return ((await metrics.invalidationAcks.get()).values.find((v) => v.labels.result === label)?.value ?? 0) as number;
  };
  return { store, near, subscriber, count };
}

let next = 0;
/** A stored entry tagged `tag`, under a key of its own. */
async function stored(store: CacheStore, tag: string, json = '{"data":{"order":{"status":"PLACED"}}}', overrides: Partial<CachedEntry> = {}) {
  const key = `rc:test:${++next}`;
  const before = await store.lookup([key]);
  const entry: CachedEntry = { storedAt: Date.now(), maxAge: 60, scope: 'PRIVATE', epoch: before?.epoch ?? 0, json, ...overrides };
  expect(await store.store(key, encodeEntry(entry), 60, [tag], entry.epoch)).toBe('stored');
  return { key, json };
}

describe('the copy of the cache in memory', () => {
  it('answers repeated lookups without Redis, and an invalidation on another replica returns only once every copy is gone', async () => {
    const [a, b, c] = [await replica(), await replica(), await replica()];
    const { key, json } = await stored(a.store, 'Order:1');
    expect((await a.store.lookup([key]))?.near).toBeUndefined(); // from Redis, and kept
    expect((await b.store.lookup([key]))?.near).toBeUndefined();
    // deleted behind the cache's back (no announcement): the copies still answer, so they are what answers
    await direct.del(key);
    const fromMemory = await a.store.lookup([key]);
    expect(fromMemory?.near).toBe(true);
    expect(fromMemory?.entries[0]?.json).toBe(json);
    expect((await b.store.lookup([key]))?.entries[0]?.json).toBe(json);

    const done = await c.store.invalidate(['Order:1']);
    expect(done.replicas).toBe('acknowledged');
    // no waiting: the copies were dropped before the invalidation returned
    expect((await a.store.lookup([key]))?.entries).toEqual([null]);
    expect((await b.store.lookup([key]))?.entries).toEqual([null]);
    expect(await c.count('acks', 'acknowledged')).toBe(1);
    expect(await a.count('heard')).toBeGreaterThanOrEqual(1);
  });

  it('keeps the entry a lookup found among several keys, and drops it with that key', async () => {
    const a = await replica();
    const { key: publicKey, json } = await stored(a.store, 'Material:PLA', '{"data":{"materials":[]}}');
    const keys = ['rc:test:private-of-nobody', publicKey];
    expect((await a.store.lookup(keys))?.entries[1]?.json).toBe(json);
    const held = await a.store.lookup(keys);
    expect(held?.near).toBe(true);
    expect(held?.entries).toEqual([null, expect.objectContaining({ json })]);
    await a.store.invalidate(['Material:PLA']);
    expect((await a.store.lookup(keys))?.entries).toEqual([null, null]);
  });

  it('stops serving on a replica that cannot hear, within its lease, and the invalidation waits no longer than the lease for it', async () => {
    const [a, b] = [await replica(), await replica()];
    const { key, json } = await stored(a.store, 'Order:2');
    await a.store.lookup([key]);
    expect((await a.store.lookup([key]))?.near).toBe(true);

    // A's subscriber connection stalls: it reads nothing, neither invalidations nor pongs
    (a.subscriber as unknown as { stream: { pause(): void; resume(): void } }).stream.pause();
    const started = Date.now();
    const done = await b.store.invalidate(['Order:2']);
    const waited = Date.now() - started;
    expect(done.replicas).toBe('lease_expired');
    expect(waited).toBeGreaterThanOrEqual(LEASE_MS);
    expect(waited).toBeLessThan(LEASE_MS + 1000);
    expect(await b.count('acks', 'lease_expired')).toBe(1);
    // A has not heard, but its lease has run out: it asks Redis, which no longer has the entry
    expect(a.near.serving).toBe(false);
    const after = await a.store.lookup([key]);
    expect(after?.near).toBeUndefined();
    expect(after?.entries).toEqual([null]);

    // hearing again: the invalidation is handled first, the lease comes back after it
    (a.subscriber as unknown as { stream: { resume(): void } }).stream.resume();
    for (let i = 0; i < 100 && !a.near.serving; i++) await sleep(5);
    expect(a.near.serving).toBe(true);
    expect(await a.near.get([key])).toBeUndefined();
    expect(json).toContain('PLACED');
  });

  it('does not keep what a lookup read while an invalidation was being handled', async () => {
    const [a, b] = [await replica(), await replica()];
    const { key } = await stored(a.store, 'Order:3');
    const mark = a.near.mark();
    const found = await a.store.lookup([key]); // kept: nothing was heard during it
    expect(await a.near.get([key])).toBeDefined();
    await b.store.invalidate(['Quote:unrelated']); // heard by A: a lookup begun before it must not fill
    a.near.fill(['rc:test:raced'], { entries: found?.entries ?? [], bytes: 10 }, mark, 3600);
    expect(await a.near.get(['rc:test:raced'])).toBeUndefined();
    a.near.fill(['rc:test:raced'], { entries: found?.entries ?? [], bytes: 10 }, a.near.mark(), 3600);
    expect(await a.near.get(['rc:test:raced'])).toBeDefined();
  });

  it('drops every copy on every replica when one flushes after an outage', async () => {
    const a = await replica();
    const unreachable = connection('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    const b = await replica({ control: unreachable });
    const { key } = await stored(a.store, 'Order:4');
    await a.store.lookup([key]);
    expect((await a.store.lookup([key]))?.near).toBe(true);
    // B's invalidation is lost: its next lookup flushes, which every replica hears
    await expect(b.store.invalidate(['Order:4'])).rejects.toThrow();
    await b.store.lookup(['rc:test:anything']);
    for (let i = 0; i < 100 && (await a.near.get([key])); i++) await sleep(5);
    expect(await a.near.get([key])).toBeUndefined();
    expect((await a.store.lookup([key]))?.entries).toEqual([null]);
  });

  it('drops everything when its connection closes, and serves again once resubscribed', async () => {
    const a = await replica();
    const { key, json } = await stored(a.store, 'Order:5');
    await a.store.lookup([key]);
    expect(await a.near.get([key])).toBeDefined();
    a.subscriber.disconnect(true);
    await new Promise((resolve) => a.subscriber.once('close', resolve));
    expect(a.near.serving).toBe(false);
    expect(await a.near.get([key])).toBeUndefined();
    for (let i = 0; i < 200 && !a.near.serving; i++) await sleep(10);
    expect(a.near.serving).toBe(true);
    expect((await a.store.lookup([key]))?.entries[0]?.json).toBe(json);
    expect((await a.store.lookup([key]))?.near).toBe(true);
  });

  it('never outlives the entry in Redis, and keeps within its memory', async () => {
    const a = await replica({ maxBytes: 800 });
    const short = await stored(a.store, 'Order:6', '{"data":{}}', { storedAt: Date.now() - 59_900 });
    await a.store.lookup([short.key]);
    await sleep(150);
    expect(await a.near.get([short.key])).toBeUndefined();

    const big = `{"data":{"x":"${'y'.repeat(20)}"}}`;
    const keys = [];
    for (let i = 0; i < 20; i++) keys.push((await stored(a.store, 'Order:7', big)).key);
    for (const key of keys) await a.store.lookup([key]);
    const held = (await Promise.all(keys.map((key) => a.near.get([key])))).filter(Boolean).length;
    expect(held).toBeGreaterThan(0);
    expect(held).toBeLessThan(keys.length);
    // the most recent are the ones kept
    expect(await a.near.get([keys[keys.length - 1] as string])).toBeDefined();
  });
});
