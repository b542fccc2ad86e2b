import { randomUUID } from 'node:crypto';
import { createLogger } from '@fabline/shared/logger';
import { createRedis, type Redis } from '@fabline/shared/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientOf } from '../src/traffic/admission.ts';
import { createRateLimiter, type RateLimitDecision } from '../src/traffic/rateLimit.ts';
import type { RedisGuard } from '../src/traffic/redisGuard.ts';

// The limiter against the real Redis: two limiters are two gateway replicas sharing one window.
let redis: Redis;
const namespace = `test_rl_${randomUUID().slice(0, 8)}`;
const logger = createLogger({ name: 'test', level: 'silent' });

beforeAll(() => {
  redis = createRedis({ url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', namespace, logger });
});
afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length) await redis.del(...keys.map((k) => k.slice(namespace.length + 1)));
  redis.disconnect();
});

/** A guard that counts the Redis calls it lets through, or fails every one (`down`). */
function countingGuard(options: { down?: boolean } = {}) {
  const guard = (async (_feature: string, call: () => Promise<unknown>) => {
    guard.calls++;
    if (options.down) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return null;
    }
    return call();
  }) as RedisGuard & { calls: number };
  guard.calls = 0;
  return guard;
}

const replica = (guard = countingGuard(), maxLease = 32) => ({
  guard,
  consume: createRateLimiter({ redis, guard, windowSeconds: 60, failureMode: 'open', maxLease }),
});
const client = () => `c${randomUUID().slice(0, 8)}`;
const allowed = (decisions: (RateLimitDecision | null)[]) => decisions.filter((d) => d?.allowed).length;

describe('rate limiter with leases', () => {
  it('counts a first request alone: the window holds exactly one request and its points', async () => {
    const { consume } = replica();
    const who = client();
    const decision = await consume(who, { requests: 100, costPoints: 1000 }, 7);
    expect(decision).toMatchObject({ allowed: true, limit: 100, remaining: 99 });
    expect(await redis.get(`rl:${who}:req`)).toBe('1');
    expect(await redis.get(`rl:${who}:cost`)).toBe('7');
  });

  it('lets a busy client spend leases locally: far fewer Redis calls, and never more than the budget', async () => {
    const { consume, guard } = replica();
    const who = client();
    const budget = { requests: 10_000, costPoints: 1_000_000 };
    const decisions: (RateLimitDecision | null)[] = [];
    for (let i = 0; i < 500; i++) decisions.push(await consume(who, budget, 2));
    expect(allowed(decisions)).toBe(500);
    expect(guard.calls).toBeLessThan(40);
    // what Redis counts is what was spent plus this replica's unspent lease
    const counted = Number(await redis.get(`rl:${who}:req`));
    const last = decisions.at(-1) as RateLimitDecision;
    expect(counted).toBeGreaterThanOrEqual(500);
    expect(counted - 500).toBeLessThanOrEqual(32);
    expect(last.remaining).toBe(budget.requests - 500);
    expect(Number(await redis.get(`rl:${who}:cost`))).toBe(counted * 2);
    // remaining counts down one by one, as if Redis were asked every time
    const remainders = decisions.slice(0, 50).map((d) => d?.remaining);
    expect(remainders).toEqual(Array.from({ length: 50 }, (_, i) => budget.requests - 1 - i));
  });

  it('two replicas sharing a window admit exactly the budget between them, then refuse', async () => {
    const a = replica();
    const b = replica();
    const who = client();
    const budget = { requests: 100, costPoints: 1_000_000 };
    const decisions = await Promise.all(Array.from({ length: 160 }, (_, i) => (i % 2 ? a : b).consume(who, budget, 1)));
    expect(allowed(decisions)).toBe(100);
    const refused = decisions.filter((d) => d && !d.allowed);
    expect(refused).toHaveLength(60);
    expect(refused[0]).toMatchObject({ remaining: 0, exhausted: 'requests' });
    expect(refused[0]?.resetSeconds).toBeGreaterThan(0);
  });

  it('runs out of cost points as exactly as out of requests', async () => {
    const a = replica();
    const b = replica();
    const who = client();
    const budget = { requests: 1_000_000, costPoints: 500 };
    const decisions = await Promise.all(Array.from({ length: 80 }, (_, i) => (i % 2 ? a : b).consume(who, budget, 10)));
    expect(allowed(decisions)).toBe(50);
    expect(decisions.find((d) => d && !d.allowed)).toMatchObject({ exhausted: 'cost points' });
  });

  it('remembers a spent window: a client over its limit costs no more Redis calls until the reset', async () => {
    const { consume, guard } = replica();
    const who = client();
    const budget = { requests: 3, costPoints: 1000 };
    for (let i = 0; i < 4; i++) await consume(who, budget, 1);
    const calls = guard.calls;
    const refused = await Promise.all(Array.from({ length: 20 }, () => consume(who, budget, 1)));
    expect(allowed(refused)).toBe(0);
    expect(guard.calls).toBe(calls);
  });

  it('with a lease of 1 asks Redis for every request (RATE_LIMIT_LEASE=1)', async () => {
    const { consume, guard } = replica(countingGuard(), 1);
    const who = client();
    for (let i = 0; i < 20; i++) await consume(who, { requests: 1000, costPoints: 100_000 }, 1);
    expect(guard.calls).toBe(20);
    expect(await redis.get(`rl:${who}:req`)).toBe('20');
  });

  it('when Redis cannot be asked, concurrent requests of a client share one failed call (fail open)', async () => {
    const { consume, guard } = replica(countingGuard({ down: true }));
    const who = client();
    const decisions = await Promise.all(Array.from({ length: 10 }, () => consume(who, { requests: 5, costPoints: 5 }, 1)));
    expect(decisions.every((d) => d === null)).toBe(true);
    expect(guard.calls).toBe(1);
  });
});

describe('whose budget a request draws from', () => {
  it('is the verified principal, whatever else the request carries', () => {
    const viewer = { id: randomUUID(), role: 'CUSTOMER' as const };
    // a caller with extra, unverified fields (an X-Api-Key header a client made up) is still the same client
    const withJunk = { viewer, ip: '198.51.100.1', apiKey: 'fbl_junk' } as Parameters<typeof clientOf>[0];
    expect(clientOf(withJunk)).toBe(clientOf({ viewer, ip: '198.51.100.2' }));
    expect(clientOf({ viewer: null, ip: '198.51.100.1' })).not.toBe(clientOf({ viewer: null, ip: '198.51.100.2' }));
  });
});
