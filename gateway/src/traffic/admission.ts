import type { Viewer } from '@fabline/shared/auth';
import { budgetFor, type TrafficEnv } from './config.ts';
import type { TrafficMetrics } from './metrics.ts';
import type { RateLimitDecision, RateLimiter } from './rateLimit.ts';

/** An operation's estimated cost against the caller's limit. */
export interface CostCheck {
  estimated: number;
  limit: number;
  result: 'COST_OK' | 'COST_ESTIMATED_TOO_EXPENSIVE';
}

/** Who asks: what a rate-limit budget is chosen and keyed by. */
export interface Caller {
  /** The verified principal (from a Bearer token or an API key; never both, see viewer.ts). */
  viewer: (Viewer & { plan?: string }) | null;
  ip?: string;
}

/**
 * Whose budget a request draws from: the verified account (a partner's, for its API keys), else
 * the IP. Never an unverified header, which a client could vary for a fresh budget per request.
 */
export function clientOf({ viewer, ip }: Caller) {
  if (viewer) return `user:${viewer.id}`;
  return `ip:${ip ?? 'unknown'}`;
}

/**
 * Records an admitted operation's estimate and draws it from the caller's rate-limit budgets:
 * the one way a request is charged, whether Apollo runs it or the response cache's fast path
 * answers it. Null when rate limiting is off or Redis is away and limits fail open.
 */
export function createAdmission({ env, metrics, rateLimiter }: { env: TrafficEnv; metrics: TrafficMetrics; rateLimiter: RateLimiter | null }) {
  /** `cost` null: a request that never reached an operation (parse or validation failure) draws one request and no points. */
  return async function admit(caller: Caller, cost: CostCheck | null): Promise<RateLimitDecision | null> {
    if (cost) metrics.costEstimated.observe({ result: cost.result, mode: env.COST_MODE }, cost.estimated);
    if (!rateLimiter) return null;
    const role = caller.viewer?.role ?? 'ANONYMOUS';
    const budget = {
      requests: budgetFor(env.RATE_LIMIT_REQUESTS, role, caller.viewer?.plan),
      costPoints: budgetFor(env.RATE_LIMIT_COST_POINTS, role, caller.viewer?.plan),
    };
    return rateLimiter(clientOf(caller), budget, cost?.estimated ?? 0);
  };
}

export type Admit = ReturnType<typeof createAdmission>;

/** The `RateLimit-*` answer headers of a decision. */
export const rateLimitHeaders = (decision: RateLimitDecision): [string, string][] => [
  ['ratelimit-limit', String(decision.limit)],
  ['ratelimit-remaining', String(decision.remaining)],
  ['ratelimit-reset', String(decision.resetSeconds)],
];
