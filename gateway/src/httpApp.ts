import type { ApolloServer } from '@apollo/server';
import { createServiceApp, graphqlErrorHandler } from '@fabline/shared/http';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { graphqlMultipart } from '@fabline/shared/multipart';
import express from 'express';
import { handedOn } from './cache/fastPath.ts';
import type { ResponseCache } from './cache/index.ts';
import { trustedProxies } from './clientAddress.ts';
import type { GatewayRequestContext } from './context.ts';
import type { GatewayEnv } from './env.ts';
import { graphqlHandler } from './graphqlHandler.ts';
import { requestBodyGuard } from './requestChecks.ts';
import type { Subscriptions } from './subscriptions/index.ts';
import { refuseHttpSubscriptions } from './subscriptions/refuseHttpSubscriptions.ts';
import type { Traffic } from './traffic/createTraffic.ts';
import { filesProxy } from './uploads.ts';
import type { ResolveViewer } from './viewer.ts';

export interface HttpAppOptions {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
  /** Started. */
  server: ApolloServer<GatewayRequestContext>;
  resolveViewer: ResolveViewer;
  cache: ResponseCache | null;
  subscriptions: Subscriptions;
  traffic: Traffic;
}

/** The gateway's express app: health, the cache's admin route, SSE subscriptions, files, and /graphql. */
export function createHttpApp({ env, logger, metrics, server, resolveViewer, cache, subscriptions, traffic }: HttpAppOptions) {
  const subgraphs: Record<string, string> = { shop: env.SHOP_URL, crm: env.CRM_URL, mes: env.MES_URL };
  const app = createServiceApp({
    logger,
    metrics,
    // the gateway's port is public: its metrics are served on METRICS_PORT (main.ts)
    metricsRoute: false,
    readiness: Object.fromEntries(
      Object.entries(subgraphs).map(([name, url]) => [
        name,
        async () => {
          const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(900) });
          if (!response.ok) throw new Error(`${name} answered ${response.status}`);
        },
      ]),
    ),
  });
  // req.ip: the client's address, from X-Forwarded-For only where a trusted proxy sent it (clientAddress.ts)
  app.set('trust proxy', trustedProxies(env));
  if (cache) {
    cache.routes(app);
    // first on POST /graphql: a hit is answered before any body parser or check (see cache/fastPath.ts)
    app.post('/graphql', cache.fastPath);
  }
  app.post('/graphql', subscriptions.sse);
  app.use('/files', filesProxy(env.SHOP_URL));
  app.use(
    '/graphql',
    graphqlMultipart({ maxFileSize: env.MAX_UPLOAD_BYTES, maxFiles: env.MAX_UPLOAD_FILES, idleTimeoutMs: env.UPLOAD_IDLE_TIMEOUT_MS }),
    express.json({ limit: '1mb' }),
    requestBodyGuard,
    refuseHttpSubscriptions,
    traffic.middleware,
    graphqlHandler(server, {
      context: async (req) => ({ viewer: await resolveViewer(req), requestId: req.id, log: req.log, ip: req.ip, ...handedOn.get(req) }),
    }),
  );
  app.use(graphqlErrorHandler(logger));
  return app;
}
