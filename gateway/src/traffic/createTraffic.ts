import { readFileSync } from 'node:fs';
import type { ApolloServerOptions, ApolloServerPlugin } from '@apollo/server';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { createRedis } from '@fabline/shared/redis';
import type { RequestHandler } from 'express';
import { type Admit, createAdmission } from './admission.ts';
import type { TrafficEnv } from './config.ts';
import { loadContract } from './contract.ts';
import { readCostDirectives } from './costDirectives.ts';
import { createTrafficMetrics } from './metrics.ts';
import { createApqCache, loadManifest } from './persistedQueries.ts';
import { createTrafficPlugin, type TrafficContext } from './plugin.ts';
import { createRateLimiter } from './rateLimit.ts';
import { createRedisGuard } from './redisGuard.ts';

export interface TrafficOptions {
  env: TrafficEnv & { NODE_ENV: string; REDIS_URL: string; NAMESPACE: string; SUPERGRAPH_PATH: string };
  logger: Logger;
  metrics: Metrics;
}

type ServerOptions = Pick<ApolloServerOptions<TrafficContext>, 'persistedQueries' | 'parseOptions' | 'allowBatchedHttpRequests' | 'introspection'>;

/**
 * Traffic control for the gateway: Apollo Server options and a plugin, plus an express middleware
 * for the limits that apply before GraphQL (batch size). With TRAFFIC_CONTROL=off it is inert and
 * Apollo Server's own defaults apply.
 */
export function createTraffic({ env, logger, metrics }: TrafficOptions): {
  serverOptions: ServerOptions;
  plugins: ApolloServerPlugin<TrafficContext>[];
  middleware: RequestHandler;
  /** Charges a request that the gateway answers without Apollo (the cache's fast path); null when traffic control is off. */
  admit: Admit | null;
} {
  const production = env.NODE_ENV === 'production';
  if (env.TRAFFIC_CONTROL === 'off') {
    return { serverOptions: { introspection: !production }, plugins: [], middleware: (_req, _res, next) => next(), admit: null };
  }
  const log = logger.child({ component: 'traffic' });
  const trafficMetrics = createTrafficMetrics(metrics);
  const redis = createRedis({ url: env.REDIS_URL, namespace: env.NAMESPACE, logger: log });
  const guard = createRedisGuard({ logger: log, faults: trafficMetrics.redisFaults, timeoutMs: env.TRAFFIC_REDIS_TIMEOUT_MS });
  const manifest = loadManifest(env.PERSISTED_QUERY_MANIFEST_PATH);

  const rateLimiter = createRateLimiter({
    redis,
    guard,
    windowSeconds: env.RATE_LIMIT_WINDOW_SECONDS,
    failureMode: env.RATE_LIMIT_FAILURE_MODE,
    maxLease: env.RATE_LIMIT_LEASE,
  });
  const admit = createAdmission({ env, metrics: trafficMetrics, rateLimiter });
  const plugin = createTrafficPlugin({
    env,
    directives: readCostDirectives(readFileSync(env.SUPERGRAPH_PATH, 'utf8')),
    metrics: trafficMetrics,
    manifest,
    manifestOnly: env.PERSISTED_QUERIES_ONLY === 'on' || (env.PERSISTED_QUERIES_ONLY === 'auto' && production),
    anonymousIntrospection: env.INTROSPECTION === 'on' || (env.INTROSPECTION === 'auto' && !production),
    contract: loadContract(env.CONTRACT_SCHEMA_PATH),
    admit,
  });
  const shutdown: ApolloServerPlugin<TrafficContext> = {
    async serverWillStart() {
      return {
        async serverWillStop() {
          redis.disconnect();
        },
      };
    },
  };

  const middleware: RequestHandler = (req, res, next) => {
    if (Array.isArray(req.body) && req.body.length > env.MAX_BATCH) {
      trafficMetrics.refusals.inc({ code: 'BATCH_LIMIT' });
      res.status(400).json({
        errors: [{ message: `A batch holds ${req.body.length} operations; at most ${env.MAX_BATCH} are allowed`, extensions: { code: 'BATCH_LIMIT' } }],
      });
      return;
    }
    next();
  };

  return {
    serverOptions: {
      // introspection is decided per client by the plugin (anonymous clients in production, partners' contract)
      introspection: true,
      persistedQueries: env.APQ_TTL_SECONDS > 0 ? { cache: createApqCache(redis, guard), ttl: env.APQ_TTL_SECONDS } : false,
      parseOptions: { maxTokens: env.MAX_TOKENS },
      allowBatchedHttpRequests: env.MAX_BATCH > 1,
    },
    plugins: [plugin, shutdown],
    middleware,
    admit,
  };
}
