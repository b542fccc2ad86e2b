import type { ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import type { Redis } from '@fabline/shared/redis';
import type { Express, RequestHandler } from 'express';
import type { GatewayRequestContext } from '../context.ts';
import type { GatewayEnv } from '../env.ts';
import type { EventSource } from '../eventSource.ts';
import type { OperationMetrics } from '../observability/operationMetrics.ts';
import type { Admit } from '../traffic/admission.ts';
import type { ResolveViewer } from '../viewer.ts';
import { createCacheMetrics } from './cacheMetrics.ts';
import { CacheStore } from './cacheStore.ts';
import { cacheFastPath, KnownOperations } from './fastPath.ts';
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
  /** The gateway's connections (see redisConnections.ts): the cache opens none of its own. */
  redis: { lookups: Redis; commands: Redis; subscriber: Redis };
  /** Where status and quote messages are heard, shared with the subscriptions. */
  events: Pick<EventSource, 'listenPattern'>;
}

export interface ResponseCache {
  plugins: ApolloServerPlugin<GatewayRequestContext>[];
  routes: (app: Express) => void;
  /** Answers hits of operations Apollo has cached before, without Apollo (see fastPath.ts); mounted first on POST /graphql. */
  fastPath: RequestHandler;
  /**
   * Resolves once the purge of a status or quote message (as published) has ended on every
   * replica: the subscription engine sends the event only then. Null when the cache is off.
   */
  purged: ((raw: string) => Promise<void>) | null;
  /** Resolves once invalidations are heard (at most 2 s): serve nothing before. */
  ready: Promise<unknown>;
  /** Stops the near cache's lease; the connections are the gateway's to close. */
  stop: () => void;
}

/**
 * The gateway's response cache: Apollo plugins for the server and routes for the app, over the
 * gateway's Redis connections. `createGateway` calls it only with `CACHE_ENABLED`.
 */
export function createResponseCache(options: ResponseCacheSetupOptions): ResponseCache {
  const { env, logger, metrics, resolveViewer, admit, operationMetrics, onInvalidation, redis: connections, events } = options;
  const log = logger.child({ component: 'response-cache' });
  const { lookups: redis, commands: control, subscriber } = connections;
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
    listenForInvalidations({ events, namespace: env.NAMESPACE, store, metrics: cacheMetrics, logger: log, onInvalidation, purged }),
    // until it has subscribed, the copy in memory serves nothing
    near?.start(),
  ]).catch((error: unknown) => log.error({ err: error }, 'cannot subscribe to invalidation events; cached orders may be stale until they expire'));
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
  const pass: RequestHandler = (_req, _res, next) => next();
  return {
    plugins: [plugin],
    routes: (app) => adminInvalidationRoute(app, { store, metrics: cacheMetrics, resolveViewer }),
    fastPath: env.CACHE_FAST_PATH ? cacheFastPath({ known, store, metrics: cacheMetrics, resolveViewer, admit, operationMetrics }) : pass,
    purged: (raw) => purged.settled(raw),
    ready: Promise.race([listening, new Promise((resolve) => setTimeout(resolve, 2000).unref())]),
    stop: () => near?.stop(),
  };
}
