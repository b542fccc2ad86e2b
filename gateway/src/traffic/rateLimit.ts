import type { Redis } from '@fabline/shared/redis';
import type { RedisGuard } from './redisGuard.ts';

/**
 * One fixed window per client, counting requests and cost points. A call reserves up to
 * ARGV[2] requests of ARGV[3] points each for the calling replica (a lease), never more than an
 * eighth of what is left in either budget, and at least the calling request itself, which is
 * counted even when it is refused. Returns the counts after the reservation, the window's
 * remaining time and how many requests were reserved.
 */
const SCRIPT = `
local want = tonumber(ARGV[2])
local cost = tonumber(ARGV[3])
local requestLimit = tonumber(ARGV[4])
local pointLimit = tonumber(ARGV[5])
local requests = tonumber(redis.call('GET', KEYS[1]) or '0')
local points = tonumber(redis.call('GET', KEYS[2]) or '0')
local grant = math.min(want, math.floor((requestLimit - requests) / 8))
if cost > 0 then grant = math.min(grant, math.floor((pointLimit - points) / (8 * cost))) end
if grant < 1 then grant = 1 end
requests = redis.call('INCRBY', KEYS[1], grant)
if requests == grant then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
points = redis.call('INCRBY', KEYS[2], grant * cost)
if points == grant * cost then redis.call('PEXPIRE', KEYS[2], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
return { requests, points, ttl, grant }
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
  /**
   * Most requests one Redis call may reserve for this replica. 1 asks Redis for every request.
   * @default 32
   */
  maxLease?: number;
}

type Counted = [number, number, number, number];

/**
 * What this replica holds of a client's window: requests (and their points) reserved in Redis
 * but not used yet, and, once the window is spent, the refusal itself, so a client over its
 * limit costs no Redis call until the window resets.
 */
interface Lease {
  requests: number;
  points: number;
  /** The window's request count in Redis when the lease was taken (it includes the lease). */
  counted: number;
  windowEndsAt: number;
  /** Size of the last reservation: it doubles while the client keeps coming back within a second. */
  size: number;
  takenAt: number;
  exhausted?: 'requests' | 'cost points';
}

/** A client idle this long gets a lease of 1 again: slow clients are counted exactly, request by request. */
const GROW_WITHIN_MS = 1000;

/**
 * Per-client budgets in Redis, so every gateway replica draws from the same window. A busy client
 * draws leases of up to `maxLease` requests per Redis call, which this replica then spends
 * locally: the window stays shared and exact to within the unspent leases (at most an eighth of
 * what is left per replica, and exact near the limit, where leases shrink to one request).
 * Returns null when Redis is unreachable and the limiter fails open.
 */
export function createRateLimiter({ redis, guard, windowSeconds, failureMode, maxLease = 32 }: RateLimiterOptions) {
  const windowMs = windowSeconds * 1000;
  // EVALSHA after the first call: the script text is not sent and parsed on every request
  redis.defineCommand('fablineRateLimit', { numberOfKeys: 2, lua: SCRIPT });
  const run = (redis as unknown as { fablineRateLimit: (...args: (string | number)[]) => Promise<Counted> }).fablineRateLimit.bind(redis);
  const leases = new Map<string, Lease>();
  /** One reservation in flight per client: concurrent requests wait for it instead of each asking Redis. */
  const reserving = new Map<string, Promise<RateLimitDecision | undefined>>();
  let nextSweep = Date.now() + windowMs;

  const decide = (lease: Lease, budget: RateLimitBudget, now: number): RateLimitDecision => ({
    allowed: !lease.exhausted,
    limit: budget.requests,
    costPointsLimit: budget.costPoints,
    remaining: lease.exhausted ? 0 : Math.max(0, budget.requests - lease.counted + lease.requests),
    resetSeconds: Math.max(1, Math.ceil((lease.windowEndsAt - now) / 1000)),
    exhausted: lease.exhausted,
  });

  /** Spends one request of `cost` points from this replica's lease, when it holds enough. */
  const spend = (client: string, budget: RateLimitBudget, cost: number, now: number): RateLimitDecision | undefined => {
    const lease = leases.get(client);
    if (!lease || now >= lease.windowEndsAt) return undefined;
    if (lease.exhausted) return decide(lease, budget, now);
    if (lease.requests < 1 || lease.points < cost) return undefined;
    lease.requests--;
    lease.points -= cost;
    return decide(lease, budget, now);
  };

  /** Asks Redis for a lease; `undefined` when Redis could not be asked. */
  async function reserve(client: string, budget: RateLimitBudget, cost: number, now: number): Promise<RateLimitDecision | undefined> {
    const previous = leases.get(client);
    const size = previous && now - previous.takenAt < GROW_WITHIN_MS ? Math.min(maxLease, previous.size * 2) : 1;
    const counted = await guard('rate_limit', () => run(`rl:${client}:req`, `rl:${client}:cost`, windowMs, size, cost, budget.requests, budget.costPoints));
    if (!counted) return undefined;
    const [requests, points, ttl, granted] = counted;
    const exhausted = requests > budget.requests ? 'requests' : points > budget.costPoints ? 'cost points' : undefined;
    const lease: Lease = {
      // the calling request takes the first of the reserved requests
      requests: exhausted ? 0 : granted - 1,
      points: exhausted ? 0 : (granted - 1) * cost,
      counted: requests,
      windowEndsAt: now + (ttl > 0 ? ttl : windowMs),
      size: granted,
      takenAt: now,
      exhausted,
    };
    leases.set(client, lease);
    return decide(lease, budget, now);
  }

  /** Redis could not be asked: pass (fail open) or refuse. */
  const unreachable = (budget: RateLimitBudget): RateLimitDecision | null =>
    failureMode === 'open' ? null : { allowed: false, limit: budget.requests, costPointsLimit: budget.costPoints, remaining: 0, resetSeconds: 1 };

  /** Forgets leases of windows that have ended, once per window. */
  const sweep = (now: number) => {
    if (now < nextSweep) return;
    nextSweep = now + windowMs;
    for (const [client, lease] of leases) if (now >= lease.windowEndsAt) leases.delete(client);
  };

  return async function consume(client: string, budget: RateLimitBudget, estimatedCost: number): Promise<RateLimitDecision | null> {
    const cost = Math.max(0, Math.ceil(estimatedCost));
    for (;;) {
      const now = Date.now();
      sweep(now);
      const local = spend(client, budget, cost, now);
      if (local) return local;
      const pending = reserving.get(client);
      if (!pending) break;
      // another request of this client is reserving: spend from what it brings back, else reserve
      // anew; when Redis could not be asked, this request does not queue for its own timeout
      if ((await pending) === undefined) return unreachable(budget);
    }
    const reservation = reserve(client, budget, cost, Date.now());
    reserving.set(client, reservation);
    try {
      return (await reservation) ?? unreachable(budget);
    } finally {
      reserving.delete(client);
    }
  };
}

export type RateLimiter = ReturnType<typeof createRateLimiter>;
