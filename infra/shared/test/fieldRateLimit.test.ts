import { randomBytes } from 'node:crypto';
import type { GraphQLResolveInfo } from 'graphql';
import { afterAll, describe, expect, it } from 'vitest';
import { createFieldRateLimits } from '../src/fieldRateLimit.ts';
import { createLogger } from '../src/logger.ts';
import { createRedis } from '../src/redis.ts';

const logger = createLogger({ name: 'field-limit-test', level: 'silent' });
const redis = createRedis({ url: 'redis://127.0.0.1:6379', namespace: `fabline_test_${randomBytes(4).toString('hex')}`, logger });
const info = { fieldName: 'logIn', parentType: { name: 'Mutation' } } as unknown as GraphQLResolveInfo;

afterAll(async () => {
  const keys = await redis.keys(`${redis.options.keyPrefix}*`);
  if (keys.length) await redis.del(...keys.map((key) => key.slice(redis.options.keyPrefix?.length ?? 0)));
  redis.disconnect();
});

describe('field rate limits', () => {
  it('let exactly `max` of 60 concurrent calls through, and refuse the rest with RATE_LIMITED and a retry time', async () => {
    const enforce = createFieldRateLimits(redis, logger);
    const outcomes = await Promise.allSettled(Array.from({ length: 60 }, () => enforce({ viewer: null, ip: '203.0.113.7' }, info, {}, { max: 30, by: 'ip' })));
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(30);
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected').map((o) => o.reason);
    expect(refused).toHaveLength(30);
    for (const error of refused) {
      expect(error.extensions.code).toBe('RATE_LIMITED');
      expect(error.extensions.retryAfter).toBeGreaterThanOrEqual(1);
      expect(error.extensions.retryAfter).toBeLessThanOrEqual(60);
      expect(error.message).toMatch(/at most 30 per 60 s from one address/);
    }
    // another address has a budget of its own
    await expect(enforce({ viewer: null, ip: '203.0.113.8' }, info, {}, { max: 30, by: 'ip' })).resolves.toBeUndefined();
  });
});
