import type { GraphQLResolveInfo } from 'graphql';
import { userError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';

/** Who a field limit counts: the signed-in account (else the IP), or always the IP. */
export type FieldLimitScope = 'account' | 'ip';

export interface FieldLimit {
  /** Calls allowed per window. */
  max: number;
  /** Length of the sliding window in seconds. @default 60 */
  windowSeconds?: number;
  /** @default 'account' */
  by?: FieldLimitScope;
}

interface LimitedContext {
  viewer: { id: string } | null;
  ip?: string;
}

/**
 * A sliding window log, checked and recorded in one step: Redis runs a script alone, so
 * concurrent calls (from any replica, or one batched request) cannot all read the same count
 * before any of them records itself. Only admitted calls are recorded. Returns 0 when admitted,
 * else the milliseconds until the oldest recorded call leaves the window.
 */
const SCRIPT = `
local window = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local count = redis.call('ZCARD', KEYS[1])
if count < max then
  redis.call('ZADD', KEYS[1], now, time[1] .. '.' .. time[2] .. ':' .. count)
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now)
`;

/**
 * Field-level rate limits in subgraphs, counted in Redis (shared by every replica) before the
 * field does its work. The client IP comes from the gateway's signed internal token. A refusal
 * is RATE_LIMITED with `extensions.retryAfter` (seconds), which the gateway answers with 429 and
 * `Retry-After`. Redis faults let the call through: a limit must not take the field down.
 */
export function createFieldRateLimits(redis: Redis, logger: Logger) {
  redis.defineCommand('fablineFieldLimit', { numberOfKeys: 1, lua: SCRIPT });
  const run = (redis as unknown as { fablineFieldLimit: (key: string, windowMs: number, max: number) => Promise<number> }).fablineFieldLimit.bind(redis);

  /** Throws RATE_LIMITED when the caller has used up `limit` for this field. */
  return async function enforce(context: LimitedContext, info: GraphQLResolveInfo, _args: Record<string, unknown>, limit: FieldLimit) {
    const scope = limit.by ?? 'account';
    const windowSeconds = limit.windowSeconds ?? 60;
    const who = scope === 'account' && context.viewer ? `account:${context.viewer.id}` : `ip:${context.ip ?? 'unknown'}`;
    let waitMs: number;
    try {
      waitMs = await run(`field-limit:${info.parentType.name}.${info.fieldName}:${who}`, windowSeconds * 1000, limit.max);
    } catch (error) {
      logger.warn({ err: error, field: info.fieldName }, 'field rate limit unavailable; letting the call through');
      return;
    }
    if (waitMs <= 0) return;
    const retryAfter = Math.max(1, Math.ceil(waitMs / 1000));
    throw userError(
      'RATE_LIMITED',
      `Too many ${info.fieldName} calls: at most ${limit.max} per ${windowSeconds} s ${scope === 'ip' ? 'from one address' : 'per account'}; try again in ${retryAfter} s`,
      { retryAfter },
    );
  };
}

export type FieldRateLimits = ReturnType<typeof createFieldRateLimits>;
