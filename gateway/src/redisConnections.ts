import type { Logger } from '@fabline/shared/logger';
import { createRedis, Redis } from '@fabline/shared/redis';
import type { GatewayEnv } from './env.ts';

/**
 * The gateway's Redis connections, one per role, shared by every feature that needs the role:
 * - `commands`: queued and retried commands (rate limits, persisted queries, cache invalidations
 *   and near-cache acknowledgements, the order event log);
 * - `subscriber`: the one connection in subscriber mode (subscription events, cache invalidations,
 *   the near cache's announcements), fanned out by `EventSource`;
 * - `cacheLookups`: the response cache's request path, which never waits for a Redis that is away
 *   or slow (no offline queue, no retries), only with the cache on.
 * With CACHE_REDIS_URL elsewhere, the cache gets a command and a subscriber connection of its own
 * there (`cacheCommands`, `cacheSubscriber`); otherwise those are the shared ones.
 */
export interface RedisConnections {
  commands: Redis;
  subscriber: Redis;
  cacheLookups: Redis | null;
  cacheCommands: Redis | null;
  cacheSubscriber: Redis | null;
  /** Every connection opened, in the order opened. */
  opened: Redis[];
}

export function openRedisConnections(env: GatewayEnv, logger: Logger): RedisConnections {
  const log = logger.child({ component: 'redis' });
  const opened: Redis[] = [];
  const open = (url: string) => {
    const redis = createRedis({ url, namespace: env.NAMESPACE, logger: log });
    opened.push(redis);
    return redis;
  };
  const commands = open(env.REDIS_URL);
  const subscriber = open(env.REDIS_URL);
  if (!env.CACHE_ENABLED) return { commands, subscriber, cacheLookups: null, cacheCommands: null, cacheSubscriber: null, opened };
  const cacheUrl = env.CACHE_REDIS_URL ?? env.REDIS_URL;
  const apart = cacheUrl !== env.REDIS_URL;
  const cacheLookups = openCacheLookups(cacheUrl, env, logger.child({ component: 'response-cache' }));
  opened.push(cacheLookups);
  return {
    commands,
    subscriber,
    cacheLookups,
    cacheCommands: apart ? open(cacheUrl) : commands,
    cacheSubscriber: apart ? open(cacheUrl) : subscriber,
    opened,
  };
}

/** The cache's request path never waits for a Redis that is away or slow: no offline queue, no retries, a short timeout. */
function openCacheLookups(url: string, env: GatewayEnv, log: Logger) {
  let lastError = '';
  const redis = new Redis(url, {
    keyPrefix: `${env.NAMESPACE}:`,
    // a backstop: CacheStore applies CACHE_TIMEOUT_MS itself, discounting the gateway's own event-loop lag
    commandTimeout: Math.max(1000, env.CACHE_TIMEOUT_MS * 10),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // lookups issued in the same tick go out in one write: under load a syscall per hit was a third of the fast path's CPU
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  redis.on('error', (error: Error) => {
    if (error.message !== lastError) log.warn({ err: error, url }, 'response cache redis error');
    lastError = error.message;
  });
  redis.on('ready', () => {
    lastError = '';
  });
  return redis;
}
