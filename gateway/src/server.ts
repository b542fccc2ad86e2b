import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { createServiceApp, graphqlErrorHandler } from '@fabline/shared/http';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { graphqlMultipart } from '@fabline/shared/multipart';
import { errorLogging, maskError } from '@fabline/shared/subgraph';
import { isTracingEnabled } from '@fabline/shared/tracing';
import express from 'express';
import { handedOn } from './cache/fastPath.ts';
import { createResponseCache } from './cache/index.ts';
import { FablineDataSource, type GatewayContext } from './dataSource.ts';
import type { GatewayEnv } from './env.ts';
import { fieldLimitStatusPlugin } from './fieldLimitStatus.ts';
import { createFetchMetrics, createOperationMetrics } from './observability/operationMetrics.ts';
import { apolloConfig, checkSupergraphSource, reportsToStudio, studioPlugins } from './observability/studio.ts';
import { createSubgraphFetcher } from './perf/fetcher.ts';
import { inboundDedupePlugin, sharedBytes, stringifyResult } from './perf/inboundDedupe.ts';
import { requestBodyGuard, requestChecksPlugin } from './requestChecks.ts';
import { createSubscriptions } from './subscriptions/index.ts';
import { createTraffic } from './traffic/createTraffic.ts';
import { filesProxy } from './uploads.ts';
import { createViewerResolver } from './viewer.ts';

export interface GatewayOptions {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
}

/** The federated gateway on an express app with health and metrics; `main.ts` listens. */
export async function createGatewayServer({ env, logger, metrics }: GatewayOptions) {
  const urls: Record<string, string> = { shop: env.SHOP_URL, crm: env.CRM_URL, mes: env.MES_URL };
  const subgraphs =
    env.SUBGRAPH_FETCHER === 'undici' ? createSubgraphFetcher({ connections: env.SUBGRAPH_CONNECTIONS, dedupe: env.SUBGRAPH_DEDUPE }) : undefined;
  const fetchMetrics = createFetchMetrics(metrics);
  checkSupergraphSource(env);
  // @apollo/gateway sends anonymous usage telemetry to Apollo unless this is set, and reads it
  // from process.env only: without Studio credentials nothing may leave the machine
  if (!reportsToStudio(env)) process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  const uplink = env.SUPERGRAPH_SOURCE === 'uplink';
  const gateway = new ApolloGateway({
    // without supergraphSdl the gateway polls GraphOS Uplink for the managed supergraph
    ...(uplink ? {} : { supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8') }),
    buildService: ({ name, url }) =>
      new FablineDataSource((uplink ? url : urls[name]) ?? String(url), env.INTERNAL_SECRET, subgraphs?.fetcher, { subgraph: name, metrics: fetchMetrics }),
    logger,
  });
  // one resolver (and one API-key cache) for HTTP, subscriptions and the cache's admin route
  const resolveViewer = createViewerResolver({ env });
  const traffic = createTraffic({ env, logger, metrics });
  const operations = createOperationMetrics(metrics);
  const dedupe = env.GATEWAY_INBOUND_DEDUPE ? inboundDedupePlugin<GatewayContext & { log: Logger }>() : null;
  const responseCache = createResponseCache({
    env,
    logger,
    metrics,
    resolveViewer,
    admit: traffic.admit,
    operationMetrics: operations,
    onInvalidation: () => dedupe?.noteChange(),
  });
  const server = new ApolloServer<GatewayContext & { log: Logger }>({
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
      ...responseCache.plugins,
      fieldLimitStatusPlugin(),
    ],
    apollo: apolloConfig(env),
    ...(dedupe ? { stringifyResult } : {}),
    logger,
    ...traffic.serverOptions,
  });
  const subscriptions = createSubscriptions({ env, logger, metrics, server, gateway, resolveViewer, purged: responseCache.purged, traffic });
  // last: the traffic checks and the cache lookup run for every request, shared or not
  if (dedupe) server.addPlugin(dedupe);
  await server.start();
  const app = createServiceApp({
    logger,
    metrics,
    // the gateway's port is public: its metrics are served on METRICS_PORT (main.ts)
    metricsRoute: false,
    readiness: Object.fromEntries(
      Object.entries(urls).map(([name, url]) => [
        name,
        async () => {
          const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(900) });
          if (!response.ok) throw new Error(`${name} answered ${response.status}`);
        },
      ]),
    ),
  });
  if (dedupe) {
    // answers shared by inbound dedupe go out as the bytes encoded once (perf/inboundDedupe.ts)
    const send = app.response.send;
    app.response.send = function sendShared(body?: unknown) {
      return send.call(this, typeof body === 'string' ? sharedBytes(body) : body);
    };
  }
  responseCache.routes(app);
  app.post('/graphql', subscriptions.sse);
  app.use('/files', filesProxy(env.SHOP_URL));
  app.use(
    '/graphql',
    graphqlMultipart({ maxFileSize: env.MAX_UPLOAD_BYTES, maxFiles: env.MAX_UPLOAD_FILES, idleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_MS }),
    express.json({ limit: '1mb' }),
    requestBodyGuard,
    traffic.middleware,
    ...(isTracingEnabled() ? [responseCache.fastPath] : []),
    expressMiddleware(server, {
      context: async ({ req }) => ({ viewer: await resolveViewer(req), requestId: req.id, log: req.log, ip: req.ip, ...handedOn.get(req) }),
    }),
  );
  app.use(graphqlErrorHandler(logger));
  // without tracing, cache hits are answered before express (no server span to start for them)
  const front = isTracingEnabled() ? null : responseCache.front;
  const handler: RequestListener = front ? (req, res) => front(req, res, () => app(req, res)) : app;
  return { app, handler, server, gateway, subscriptions };
}
