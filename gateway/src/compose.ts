import { readFileSync } from 'node:fs';
import type { Server as HttpServer } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { errorLogging, maskError } from '@fabline/shared/subgraph';
import { createResponseCache, type ResponseCache } from './cache/index.ts';
import type { GatewayRequestContext } from './context.ts';
import { FablineDataSource } from './dataSource.ts';
import { createDisposer } from './disposer.ts';
import type { GatewayEnv } from './env.ts';
import { EventSource } from './eventSource.ts';
import { createPlanExecutor } from './execution/executor.ts';
import { fieldLimitStatusPlugin } from './fieldLimitStatus.ts';
import { createHttpApp } from './httpApp.ts';
import { createFetchMetrics, createOperationMetrics, type OperationMetrics } from './observability/operationMetrics.ts';
import { apolloConfig, checkSupergraphSource, studioPlugins } from './observability/studio.ts';
import { createSubgraphFetcher } from './perf/fetcher.ts';
import { inboundDedupePlugin, stringifyResult } from './perf/inboundDedupe.ts';
import { openRedisConnections } from './redisConnections.ts';
import { requestChecksPlugin } from './requestChecks.ts';
import { createSubscriptions } from './subscriptions/index.ts';
import { createTraffic, type Traffic } from './traffic/createTraffic.ts';
import { createViewerResolver } from './viewer.ts';

export interface GatewayOptions {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
  /** Stopped last, after every part: spans recorded while the parts stop are still exported. */
  tracing?: { shutdown(): Promise<void> };
}

/**
 * The gateway's composition root: builds every part from the env, once (one Redis connection per
 * role, shared by the cache, traffic control and subscriptions), hands them to Apollo and the HTTP
 * app, and stops them in the reverse order on `close()`. `main.ts` only listens.
 */
export async function createGateway({ env, logger, metrics, tracing }: GatewayOptions) {
  checkSupergraphSource(env);
  const parts = createDisposer(logger);
  if (tracing) parts.add('tracing', () => tracing.shutdown());
  const redis = openRedisConnections(env, logger);
  for (const connection of redis.opened) parts.add('redis', () => connection.disconnect());
  const events = new EventSource({ subscriber: redis.subscriber, commands: redis.commands });
  // one resolver (and one API-key cache) for HTTP, subscriptions and the cache's admin route
  const resolveViewer = createViewerResolver({ env });
  const traffic = createTraffic({ env, logger, metrics, redis: redis.commands });
  const operations = createOperationMetrics(metrics);
  const dedupe = env.GATEWAY_INBOUND_DEDUPE ? inboundDedupePlugin<GatewayRequestContext>() : null;
  let cache: ResponseCache | null = null;
  if (redis.cacheLookups && redis.cacheCommands && redis.cacheSubscriber) {
    cache = createResponseCache({
      env,
      logger,
      metrics,
      resolveViewer,
      admit: traffic.admit,
      operationMetrics: operations,
      onInvalidation: () => dedupe?.noteChange(),
      redis: { lookups: redis.cacheLookups, commands: redis.cacheCommands, subscriber: redis.cacheSubscriber },
      events,
    });
    parts.add('near cache', cache.stop);
  }
  const gateway = createApolloGateway(env, logger, metrics, parts);
  const server = createApolloServer({ env, logger, metrics, gateway, traffic, dedupe, operations, cache });
  const subscriptions = createSubscriptions({ env, logger, metrics, server, gateway, resolveViewer, purged: cache?.purged ?? null, traffic, events });
  // last: the traffic checks and the cache lookup run for every request, shared or not
  if (dedupe) server.addPlugin(dedupe);
  // until invalidations are heard, nothing may be served from the cache
  await cache?.ready;
  await server.start();
  parts.add('apollo server', () => server.stop());
  const app = createHttpApp({ env, logger, metrics, server, resolveViewer, cache, subscriptions, traffic });
  return {
    /** The HTTP request listener. */
    handler: app,
    server,
    gateway,
    subscriptions,
    /** Serves subscriptions on the upgrades of the listening server; both stop first on `close()`. */
    attach(http: HttpServer) {
      parts.add('http server', () => http.close());
      subscriptions.attach(http);
      parts.add('subscriptions', () => subscriptions.close());
    },
    /** Adds a part opened outside (the metrics server): it stops before the ones built here. */
    own: parts.add,
    /** Stops every part, in the reverse of the order they were built. */
    close: parts.dispose,
  };
}

export type Gateway = Awaited<ReturnType<typeof createGateway>>;

interface ApolloServerParts {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
  gateway: ApolloGateway;
  traffic: Traffic;
  dedupe: ReturnType<typeof inboundDedupePlugin<GatewayRequestContext>> | null;
  operations: OperationMetrics;
  cache: ResponseCache | null;
}

function createApolloServer({ env, logger, metrics, gateway, traffic, dedupe, operations, cache }: ApolloServerParts) {
  return new ApolloServer<GatewayRequestContext>({
    gateway,
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    introspection: env.NODE_ENV !== 'production',
    csrfPrevention: true,
    // request checks first: errorLogging must see the codes they give Apollo's own errors
    plugins: [
      requestChecksPlugin(),
      errorLogging(metrics),
      operations.plugin,
      ...studioPlugins(env),
      ...traffic.plugins,
      ...(cache?.plugins ?? []),
      fieldLimitStatusPlugin(),
    ],
    apollo: apolloConfig(env),
    ...(dedupe ? { stringifyResult } : {}),
    logger,
    // the gateway stops in its own order (close()), not on Apollo's own signal handlers
    stopOnTerminationSignals: false,
    ...traffic.serverOptions,
  });
}

function createApolloGateway(env: GatewayEnv, logger: Logger, metrics: Metrics, parts: ReturnType<typeof createDisposer>) {
  const urls: Record<string, string> = { shop: env.SHOP_URL, crm: env.CRM_URL, mes: env.MES_URL };
  const subgraphs =
    env.SUBGRAPH_FETCHER === 'undici' ? createSubgraphFetcher({ connections: env.SUBGRAPH_CONNECTIONS, dedupe: env.SUBGRAPH_DEDUPE }) : undefined;
  if (subgraphs) parts.add('subgraph connections', subgraphs.close);
  const fetchMetrics = createFetchMetrics(metrics);
  const uplink = env.SUPERGRAPH_SOURCE === 'uplink';
  const gateway = new ApolloGateway({
    // without supergraphSdl the gateway polls GraphOS Uplink for the managed supergraph
    ...(uplink ? {} : { supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8') }),
    buildService: ({ name, url }) =>
      new FablineDataSource((uplink ? url : urls[name]) ?? String(url), env.INTERNAL_SECRET, subgraphs?.fetcher, { subgraph: name, metrics: fetchMetrics }),
    logger,
  });
  // read by ApolloServer when it loads the gateway: the plans @apollo/gateway makes, run by Fabline's executor
  if (env.GATEWAY_EXECUTOR === 'fabline') gateway.executor = createPlanExecutor(gateway);
  return gateway;
}
