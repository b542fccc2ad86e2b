import type { GraphQLResolveInfo } from 'graphql';
import { getGraphQLRateLimiter, RedisStore } from 'graphql-rate-limit';
import { userError } from './errors.ts';
import type { Logger } from './logger.ts';
import type { Redis } from './redis.ts';

/** Who a field limit counts: the signed-in account (else the IP), or always the IP. */
export type FieldLimitScope = 'account' | 'ip';

export interface FieldLimit {
  /** Calls allowed per window. */
  max: number;
  /** A `ms` duration such as `'1m'`. @default '1m' */
  window?: string;
  /** @default 'account' */
  by?: FieldLimitScope;
}

interface LimitedContext {
  viewer: { id: string } | null;
  ip?: string;
}

/**
 * Field-level rate limits in subgraphs (graphql-rate-limit with its Redis store, shared by every
 * replica). The client IP comes from the gateway's signed internal token. Redis faults let the
 * call through: a limit must not take the field down.
 */
export function createFieldRateLimits(redis: Redis, logger: Logger) {
  const store = new RedisStore(redis);
  const limiter = (scope: FieldLimitScope) =>
    getGraphQLRateLimiter({
      store,
      identifyContext: (ctx: LimitedContext) => (scope === 'account' && ctx.viewer ? `account:${ctx.viewer.id}` : `ip:${ctx.ip ?? 'unknown'}`),
      formatError: ({ fieldName, max, window }) =>
        `Too many ${fieldName} calls: at most ${max} per ${Math.round(window / 1000)} s ${scope === 'ip' ? 'from one address' : 'per account'}; try again later`,
    });
  const limiters = { account: limiter('account'), ip: limiter('ip') };

  /** Throws RATE_LIMITED when the caller has used up `limit` for this field. */
  return async function enforce(context: LimitedContext, info: GraphQLResolveInfo, args: Record<string, unknown>, limit: FieldLimit) {
    let message: string | undefined;
    try {
      message = await limiters[limit.by ?? 'account']({ parent: undefined, args, context, info }, { max: limit.max, window: limit.window ?? '1m' });
    } catch (error) {
      logger.warn({ err: error, field: info.fieldName }, 'field rate limit unavailable; letting the call through');
      return;
    }
    if (message) throw userError('RATE_LIMITED', message);
  };
}

export type FieldRateLimits = ReturnType<typeof createFieldRateLimits>;
