import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { createRedis, Redis } from '@fabline/shared/redis';
import type { Express, RequestHandler } from 'express';
import type { GatewayContext } from '../dataSource.ts';
import type { GatewayEnv } from '../env.ts';
import type { OperationMetrics } from '../observability/operationMetrics.ts';
import type { Admit } from '../traffic/admission.ts';
import type { ResolveViewer } from '../viewer.ts';
import { createCacheMetrics } from './cacheMetrics.ts';
import { CacheStore } from './cacheStore.ts';
import { type CacheFastPath, cacheFastPath, KnownOperations } from './fastPath.ts';
import { adminInvalidationRoute, listenForInvalidations, PurgedMessages } from './invalidation.ts';
import { NearCache } from './nearCache.ts';
import { responseCachePlugin } from './responseCache.ts';

export interface ResponseCacheSetupOptions {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
  /** The gateway's one viewer resolver: the admin route checks credentials exactly as /graphql does. */
  resolveViewer: ResolveViewer;
  /** Traffic control's charge, for hits answered before Apollo; null when traffic control is off. */
  admit: Admit | null;
  operationMetrics: Pick<OperationMetrics, 'observe'>;
  /** Called for every invalidation this gateway hears of (inbound dedupe must not share across one). */
  onInvalidation?: () => void;
}

/**
 * The gateway's response cache: Apollo plugins for the server and a route for the app.
 * With `CACHE_ENABLED=false` both are empty and nothing connects to Redis.
 */
export function createResponseCache({ env, logger, metrics, resolveViewer, admit, operationMetrics, onInvalidation }: ResponseCacheSetupOptions): {
  plugins: ApolloServerPlugin<GatewayContext & { log: Logger }>[];
  routes: (app: Express) => void;
  /** Answers hits of operations Apollo has cached before, without Apollo (see fastPath.ts), after express's body parser. */
  fastPath: RequestHandler;
  /** The same before express, for a server without tracing; null when there is none. */
  front: CacheFastPath['front'] | null;
  /**
   * Resolves once the purge of a status or quote message (as published) has ended on every
   * replica: the subscription engine sends the event only then. Null when the cache is off.
   */
  purged: ((raw: string) => Promise<void>) | null;
} {
  const pass: RequestHandler = (_req, _res, next) => next();
  if (!env.CACHE_ENABLED) return { plugins: [], routes: () => {}, fastPath: pass, front: null, purged: null };
  const url = env.CACHE_REDIS_URL ?? env.REDIS_URL;
  const log = logger.child({ component: 'response-cache' });
  let lastError = '';
  // the request path never waits for a Redis that is away or slow: no offline queue, no retries, a short timeout
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
  const control = createRedis({ url, namespace: env.NAMESPACE, logger: log });
  const subscriber = createRedis({ url, namespace: env.NAMESPACE, logger: log });
  // status and quote messages are published where the platform's events go, which may not be the cache's Redis
  const events = url === env.REDIS_URL ? subscriber : createRedis({ url: env.REDIS_URL, namespace: env.NAMESPACE, logger: log });
  const cacheMetrics = createCacheMetrics(metrics);
  const near =
    env.CACHE_NEAR_MAX_BYTES > 0
      ? new NearCache({
          subscriber,
          control,
          namespace: env.NAMESPACE,
          metrics: cacheMetrics,
          logger: log,
          maxBytes: env.CACHE_NEAR_MAX_BYTES,
          leaseMs: env.CACHE_NEAR_LEASE_MS,
        })
      : undefined;
  const store = new CacheStore({ redis, control, metrics: cacheMetrics, timeoutMs: env.CACHE_TIMEOUT_MS, near, maxTtlSeconds: env.CACHE_MAX_TTL_S });
  // a subscriber waits no longer than an invalidation waits for a silent replica, plus its round trip
  const purged = new PurgedMessages((near ? env.CACHE_NEAR_LEASE_MS : 0) + 250);
  const listening = Promise.all([
    listenForInvalidations({ subscriber: events, namespace: env.NAMESPACE, store, metrics: cacheMetrics, logger: log, onInvalidation, purged }),
    // until it has subscribed, the copy in memory serves nothing
    near?.start(),
  ]).catch((error: unknown) => log.error({ err: error }, 'cannot subscribe to invalidation events; cached orders may be stale until they expire'));
  const lifecycle: ApolloServerPlugin<GatewayContext & { log: Logger }> = {
    async serverWillStart() {
      await Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 2000).unref())]);
      return {
        async serverWillStop() {
          near?.stop();
          redis.disconnect();
          control.disconnect();
          subscriber.disconnect();
          events.disconnect();
        },
      };
    },
  };
  const known = new KnownOperations();
  const plugin = responseCachePlugin({
    known,
    store,
    metrics: cacheMetrics,
    logger: log,
    maxTtlSeconds: env.CACHE_MAX_TTL_S,
    maxEntryBytes: env.CACHE_MAX_ENTRY_BYTES,
    // long enough for a silent replica's lease to run out: then no replica serves what the mutation changed
    mutationInvalidationWaitMs: near ? env.CACHE_NEAR_LEASE_MS + 50 : undefined,
  });
  const fast = env.CACHE_FAST_PATH
    ? cacheFastPath({ known, store, metrics: cacheMetrics, resolveViewer, admit, operationMetrics, httpDuration: metrics.httpDuration })
    : null;
  return {
    plugins: [lifecycle, plugin],
    routes: (app) => adminInvalidationRoute(app, { store, metrics: cacheMetrics, resolveViewer }),
    fastPath: fast?.middleware ?? pass,
    front: fast?.front ?? null,
    purged: (raw) => purged.settled(raw),
  };
}
