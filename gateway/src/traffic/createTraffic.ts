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
import { createOperationChecks, type OperationChecks } from './operationChecks.ts';
import { createApqCache, loadManifest } from './persistedQueries.ts';
import { createTrafficPlugin, type TrafficContext } from './plugin.ts';
import { createRateLimiter } from './rateLimit.ts';
import { createRedisGuard } from './redisGuard.ts';

export interface TrafficOptions {
  env: TrafficEnv & { NODE_ENV: string; REDIS_URL: string; NAMESPACE: string; SUPERGRAPH_PATH: string };
  logger: Logger;
  metrics: Metrics;
}

type ServerOptions = Pick<
  ApolloServerOptions<TrafficContext>,
  'persistedQueries' | 'parseOptions' | 'allowBatchedHttpRequests' | 'introspection' | 'hideSchemaDetailsFromClientErrors'
>;

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
  /** The checks of the plugin, for operations that do not go through Apollo (subscriptions); null when traffic control is off. */
  checks: OperationChecks | null;
  /** The parser's token limit for operations parsed outside Apollo. */
  maxTokens: number;
} {
  const production = env.NODE_ENV === 'production';
  if (env.TRAFFIC_CONTROL === 'off') {
    return {
      // no per-caller decision without the plugin: in production nobody is told the names of fields
      serverOptions: { introspection: !production, hideSchemaDetailsFromClientErrors: production },
      plugins: [],
      middleware: (_req, _res, next) => next(),
      admit: null,
      checks: null,
      maxTokens: 5000,
    };
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
  const directives = readCostDirectives(readFileSync(env.SUPERGRAPH_PATH, 'utf8'));
  const contract = loadContract(env.CONTRACT_SCHEMA_PATH);
  const checks = createOperationChecks({
    env,
    directives,
    metrics: trafficMetrics,
    anonymousIntrospection: env.INTROSPECTION === 'on' || (env.INTROSPECTION === 'auto' && !production),
    contract,
    admit,
  });
  const plugin = createTrafficPlugin({
    env,
    directives,
    metrics: trafficMetrics,
    manifest,
    manifestOnly: env.PERSISTED_QUERIES_ONLY === 'on' || (env.PERSISTED_QUERIES_ONLY === 'auto' && production),
    contract,
    checks,
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
    checks,
    maxTokens: env.MAX_TOKENS,
  };
}
