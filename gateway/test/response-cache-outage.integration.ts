import { randomBytes } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { createMetrics } from '@fabline/shared/metrics';
import { Redis } from '@fabline/shared/redis';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeEntry } from '../src/cache/cachedEntry.ts';
import { createCacheMetrics } from '../src/cache/cacheMetrics.ts';
import { CacheStore } from '../src/cache/cacheStore.ts';

// Against the real Redis: an invalidation lost to an outage must not leave a stale entry behind.
const prefix = `fabline_test_${randomBytes(4).toString('hex')}:`;
const redis = new Redis('redis://127.0.0.1:6379', { keyPrefix: prefix });
const control = new Redis('redis://127.0.0.1:6379', { keyPrefix: prefix });
// a connection to a port nobody listens on: every command fails at once
const unreachable = new Redis('redis://127.0.0.1:1', {
  keyPrefix: prefix,
  lazyConnect: true,
  enableOfflineQueue: false,
  maxRetriesPerRequest: 0,
  retryStrategy: () => null,
});
unreachable.on('error', () => {});

afterAll(async () => {
  const keys = await control.keys(`${prefix}*`);
  if (keys.length) await control.del(...keys.map((k) => k.slice(prefix.length)));
  redis.disconnect();
  control.disconnect();
  unreachable.disconnect();
});

// lookups fail fast in production (50 ms); here a loaded machine's round trip must not count as an outage
const timeoutMs = 10_000;
const replica = (controlConnection: Redis) =>
  new CacheStore({ redis, control: controlConnection, metrics: createCacheMetrics(createMetrics('cache-test')), timeoutMs });

describe('response cache after a lost invalidation', () => {
  it('flushes before serving again, on every replica', async () => {
    const a = replica(control);
    const key = 'rc:test:order';
    const before = await a.lookup([key]);
    expect(before?.entries).toEqual([null]);
    const entry = { storedAt: Date.now(), maxAge: 60, scope: 'PRIVATE' as const, epoch: before?.epoch ?? 0, json: '{"data":{"order":{"status":"PLACED"}}}' };
    expect(await a.store(key, encodeEntry(entry), 60, ['Order:1'], entry.epoch)).toBe('stored');
    expect((await a.lookup([key]))?.entries[0]?.json).toBe(entry.json);

    // replica B learns that Order:1 changed, but its invalidation cannot reach Redis
    const b = replica(unreachable);
    await expect(b.invalidate(['Order:1'])).rejects.toThrow();

    // B flushes before its next lookup; A, which saw no failure, stops serving the entry too
    expect((await b.lookup([key]))?.entries).toEqual([null]);
    expect((await a.lookup([key]))?.entries).toEqual([null]);

    // entries stored after the flush are served again
    const after = await a.lookup([key]);
    const fresh = { ...entry, epoch: after?.epoch ?? 0, json: '{"data":{"order":{"status":"APPROVED"}}}' };
    expect(await a.store(key, encodeEntry(fresh), 60, ['Order:1'], fresh.epoch)).toBe('stored');
    expect((await b.lookup([key]))?.entries[0]?.json).toBe(fresh.json);
  });

  it('counts an invalidation a hung Redis never answers as lost, within a bound', async () => {
    // accepts the connection and never answers: the command would wait forever
    const sockets = new Set<Socket>();
    const blackHole = createServer((socket) => sockets.add(socket.on('error', () => {})));
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const hung = new Redis(`redis://127.0.0.1:${(blackHole.address() as { port: number }).port}`, { keyPrefix: prefix });
    hung.on('error', () => {});
    try {
      const a = replica(control);
      const key = 'rc:test:hung';
      const before = await a.lookup([key]);
      const entry = { storedAt: Date.now(), maxAge: 60, scope: 'PRIVATE' as const, epoch: before?.epoch ?? 0, json: '{"data":{"order":{"status":"PLACED"}}}' };
      expect(await a.store(key, encodeEntry(entry), 60, ['Order:2'], entry.epoch)).toBe('stored');

      const b = new CacheStore({ redis, control: hung, metrics: createCacheMetrics(createMetrics('cache-test-hung')), invalidationTimeoutMs: 200, timeoutMs });
      // bounded by its own timeout (the message names it), not by how long the black hole would wait
      await expect(b.invalidate(['Order:2'])).rejects.toThrow(/longer than 200 ms/);
      // lost, so B flushes before it serves again: the entry is gone for every replica
      expect((await b.lookup([key]))?.entries).toEqual([null]);
      expect((await a.lookup([key]))?.entries).toEqual([null]);
    } finally {
      hung.disconnect();
      for (const socket of sockets) socket.destroy();
      blackHole.close();
    }
  });
});
