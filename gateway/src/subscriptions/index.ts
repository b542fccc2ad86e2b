import type { Server as HttpServer } from 'node:http';
import type { ApolloGateway } from '@apollo/gateway';
import type { ApolloServer } from '@apollo/server';
import type { Viewer } from '@fabline/shared/auth';
import type { Logger } from '@fabline/shared/logger';
import type { Metrics } from '@fabline/shared/metrics';
import { buildSchema, type GraphQLSchema, printSchema } from 'graphql';
import { trustedProxies } from '../clientAddress.ts';
import type { GatewayRequestContext } from '../context.ts';
import type { GatewayEnv } from '../env.ts';
import type { EventSource } from '../eventSource.ts';
import type { OperationChecks } from '../traffic/operationChecks.ts';
import type { ResolveViewer } from '../viewer.ts';
import { SubscriptionEngine } from './engine.ts';
import { ConnectionCounter, type SubscriptionLimits } from './limits.ts';
import { createSubscriptionMetrics } from './metrics.ts';
import type { FederatedExecutor, FederatedResult } from './resolveEvent.ts';
import { createSseHandler } from './sse.ts';
import { attachWsServer } from './wsServer.ts';

export interface SubscriptionsOptions {
  env: GatewayEnv;
  logger: Logger;
  metrics: Metrics;
  server: ApolloServer<GatewayRequestContext>;
  gateway: ApolloGateway;
  /** The gateway's one viewer resolver: subscriptions verify credentials exactly as HTTP does. */
  resolveViewer: ResolveViewer;
  /** The response cache's end of a message's purge (see SubscriptionEngineOptions); null without a cache. */
  purged: ((raw: string) => Promise<void>) | null;
  /** Traffic control's checks: a subscription passes exactly those of an HTTP operation. Null when traffic control is off. */
  traffic: { checks: OperationChecks | null; maxTokens: number };
  /** The gateway's fan-out of Redis messages (see eventSource.ts). */
  events: EventSource;
}

/**
 * Subscriptions for the gateway: created before `server.start()` (to hear the API schema),
 * `sse` mounted before the HTTP handler, `attach(httpServer)` once listening.
 */
export function createSubscriptions({ env, logger, metrics, server, gateway, resolveViewer, purged, traffic, events }: SubscriptionsOptions) {
  let schema: GraphQLSchema | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema }) => {
    // a copy: Apollo Server wraps the resolvers of the schema it serves, which would bypass resolveEvent's field resolver
    schema = buildSchema(printSchema(apiSchema));
  });
  const currentSchema = () => {
    if (!schema) throw new Error('the gateway has not loaded its schema yet');
    return schema;
  };
  const log = logger.child({ component: 'subscriptions' });
  const limits: SubscriptionLimits = {
    maxConnectionsPerClient: env.SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT,
    maxSubscriptionsPerConnection: env.SUBSCRIPTION_MAX_PER_CONNECTION,
    maxPendingEvents: env.SUBSCRIPTION_MAX_PENDING_EVENTS,
    maxBufferedBytes: env.SUBSCRIPTION_MAX_BUFFERED_BYTES,
  };
  const subscriptionMetrics = createSubscriptionMetrics(metrics);
  const federate =
    (viewer: Viewer, requestId: string): FederatedExecutor =>
    async (query, variables) => {
      const response = await server.executeOperation({ query, variables }, { contextValue: { viewer, requestId, log, internal: true } });
      if (response.body.kind !== 'single') return { errors: [{ message: 'Incremental delivery is not supported in subscriptions' }] };
      return response.body.singleResult as FederatedResult;
    };
  const engine = new SubscriptionEngine({
    namespace: env.NAMESPACE,
    events,
    schema: currentSchema,
    federate,
    limits,
    metrics: subscriptionMetrics,
    logger: log,
    purged: purged ?? undefined,
  });
  const connections = new ConnectionCounter(limits.maxConnectionsPerClient);
  const deps = {
    engine,
    schema: currentSchema,
    resolveViewer,
    limits,
    connections,
    metrics: subscriptionMetrics,
    logger: log,
    checks: traffic.checks,
    maxTokens: traffic.maxTokens,
    trustProxy: trustedProxies(env),
  };
  const closers: (() => Promise<void>)[] = [];
  return {
    engine,
    /** Mount with `app.post('/graphql', sse)` before the HTTP GraphQL handler. */
    sse: createSseHandler(deps),
    /** Serves graphql-ws on the upgrade of `/graphql`. */
    attach(httpServer: HttpServer) {
      const ws = attachWsServer(httpServer, deps);
      closers.push(ws.close);
    },
    /** Closes the WebSocket server and its connections; the Redis connections are the gateway's. */
    async close() {
      await Promise.all(closers.map((close) => close()));
    },
  };
}

export type Subscriptions = ReturnType<typeof createSubscriptions>;
