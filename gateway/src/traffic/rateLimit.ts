import type { Redis } from '@fabline/shared/redis';
import type { RedisGuard } from './redisGuard.ts';

/** One fixed window per client, counting requests and cost points in one round trip. */
const SCRIPT = `
local requests = redis.call('INCR', KEYS[1])
if requests == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local points = redis.call('INCRBY', KEYS[2], ARGV[2])
if points == tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return { requests, points, ttl }
`;

export interface RateLimitBudget {
  requests: number;
  costPoints: number;
}

export interface RateLimitDecision {
  allowed: boolean;
  /** The request budget of the window. */
  limit: number;
  /** The cost-point budget of the window. */
  costPointsLimit: number;
  remaining: number;
  /** Seconds until the window resets. */
  resetSeconds: number;
  /** Which budget ran out, when one did. */
  exhausted?: 'requests' | 'cost points';
}

export interface RateLimiterOptions {
  redis: Redis;
  guard: RedisGuard;
  windowSeconds: number;
  /** When Redis cannot be asked: let the request through (`open`) or refuse it. */
  failureMode: 'open' | 'closed';
}

type Counted = [number, number, number];

/**
 * Per-client budgets in Redis, so every gateway replica draws from the same window. Returns
 * null when Redis is unreachable and the limiter fails open.
 */
export function createRateLimiter({ redis, guard, windowSeconds, failureMode }: RateLimiterOptions) {
  const windowMs = windowSeconds * 1000;
  // EVALSHA after the first call: the script text is not sent and parsed on every request
  redis.defineCommand('fablineRateLimit', { numberOfKeys: 2, lua: SCRIPT });
  const run = (redis as unknown as { fablineRateLimit: (...args: (string | number)[]) => Promise<Counted> }).fablineRateLimit.bind(redis);
  return async function consume(client: string, budget: RateLimitBudget, cost: number): Promise<RateLimitDecision | null> {
    const counted = await guard('rate_limit', () => run(`rl:${client}:req`, `rl:${client}:cost`, windowMs, Math.max(0, Math.ceil(cost))));
    if (!counted) {
      if (failureMode === 'open') return null;
      return { allowed: false, limit: budget.requests, costPointsLimit: budget.costPoints, remaining: 0, resetSeconds: 1 };
    }
    const [requests, points, ttl] = counted;
    const resetSeconds = Math.max(1, Math.ceil((ttl > 0 ? ttl : windowMs) / 1000));
    const exhausted = requests > budget.requests ? 'requests' : points > budget.costPoints ? 'cost points' : undefined;
    return {
      allowed: !exhausted,
      limit: budget.requests,
      costPointsLimit: budget.costPoints,
      remaining: exhausted ? 0 : budget.requests - requests,
      resetSeconds,
      exhausted,
    };
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
