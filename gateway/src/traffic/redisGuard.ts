import { withTimeout } from '@fabline/shared/http';
import type { Logger } from '@fabline/shared/logger';
import type { Counter } from 'prom-client';

export interface RedisGuardOptions {
  logger: Logger;
  faults: Counter<'feature'>;
  timeoutMs: number;
}

/**
 * Runs a Redis call of traffic control with a deadline. A failure is counted and logged (at most
 * once per feature every 10 s, so an outage does not flood the logs) and reported as `null`:
 * the caller decides whether to fail open or closed.
 */
export function createRedisGuard({ logger, faults, timeoutMs }: RedisGuardOptions) {
  const lastLogged = new Map<string, number>();
  return async function guarded<T>(feature: string, call: () => Promise<T>): Promise<T | null> {
    try {
      return await withTimeout(call(), timeoutMs, `Redis did not answer within ${timeoutMs} ms`);
    } catch (error) {
      faults.inc({ feature });
      const now = Date.now();
      if (now - (lastLogged.get(feature) ?? 0) > 10_000) {
        lastLogged.set(feature, now);
        logger.warn({ err: error, feature }, 'redis fault in traffic control');
      }
      return null;
    }
  };
}

export type RedisGuard = ReturnType<typeof createRedisGuard>;
