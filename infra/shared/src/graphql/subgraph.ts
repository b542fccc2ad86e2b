import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { buildSubgraphSchema } from '@apollo/subgraph';
import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper/resolverMap.js';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express, type RequestHandler } from 'express';
import type { DocumentNode, GraphQLFormattedError, GraphQLResolveInfo, GraphQLScalarType } from 'graphql';
import { createServiceApp, graphqlErrorHandler, type ReadinessCheck } from '../platform/http.ts';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { operationSpanPlugin } from '../tracing/instrumentation.ts';
import { INTERNAL_HEADER, type Viewer, verifyInternalToken } from './auth.ts';
import { isErrorCode } from './errors.ts';

/** What every subgraph resolver gets; subgraphs extend it with their loaders. */
export interface BaseContext {
  viewer: Viewer | null;
  requestId: string;
  log: Logger;
  /** The client's IP, as the gateway signed it. */
  ip?: string;
}

/**
 * A subgraph's resolvers as graphql-codegen types them (`Resolvers` with `federation: true`): per
 * type, field resolvers and `__resolveReference(reference, context, info)`, or a scalar.
 */
export type SubgraphResolvers<C> = {
  [typeName: string]: GraphQLScalarType | EntityResolvers<C> | undefined;
};

type EntityResolvers<C> = {
  __resolveReference?: (reference: never, context: C, info: GraphQLResolveInfo) => unknown;
  [field: string]: unknown;
};

/**
 * The codegen-typed resolvers as @apollo/subgraph's resolver map. @apollo/subgraph types
 * `__resolveReference` like a field resolver (parent, args, context, info); codegen types it as
 * it is called (reference, context, info): the one place the two views meet.
 */
export const toResolverMap = <C>(resolvers: SubgraphResolvers<C>): GraphQLResolverMap<C> => resolvers as GraphQLResolverMap<C>;

export interface SubgraphServerOptions<C extends BaseContext> {
  typeDefs: DocumentNode;
  resolvers: SubgraphResolvers<C>;
  internalSecret: string;
  logger: Logger;
  metrics: Metrics;
  readiness: Record<string, ReadinessCheck>;
  /** Adds per-request state (DataLoaders) to the verified base context. */
  createContext: (base: BaseContext) => C;
  /** Middleware that runs before GraphQL on /graphql (multipart uploads). */
  graphqlMiddleware?: RequestHandler[];
  /** Extra routes on the same app (internal endpoints). */
  routes?: (app: Express) => void;
}

/** Codes Apollo Server itself produces for client mistakes; they pass through unmasked. */
const APOLLO_CLIENT_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'OPERATION_RESOLUTION_FAILURE',
]);

/** A code a client may see: ours (not INTERNAL_SERVER_ERROR) or one Apollo Server gives for a client mistake. */
const isClientCode = (code: unknown) => (isErrorCode(code) && code !== 'INTERNAL_SERVER_ERROR') || (typeof code === 'string' && APOLLO_CLIENT_CODES.has(code));

/**
 * Client errors pass through with their code; anything else is masked (and logged by `errorLogging`).
 * Apollo gives every error that is not a GraphQLError the code INTERNAL_SERVER_ERROR, and the
 * gateway receives subgraph errors already masked, so the code alone decides.
 */
export function maskError(formatted: GraphQLFormattedError, _error: unknown): GraphQLFormattedError {
  if (isClientCode(formatted.extensions?.code)) return formatted;
  return { message: 'Internal server error', locations: formatted.locations, path: formatted.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}

/** Logs unexpected errors in full with the request id, and counts every error by code. */
export function errorLogging<C extends { log: Logger }>(metrics: Metrics): ApolloServerPlugin<C> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = error.extensions?.code;
            const known = isClientCode(code);
            metrics.graphqlErrors.inc({ code: known ? String(code) : 'INTERNAL_SERVER_ERROR' });
            if (!known)
              contextValue.log?.error({ err: error.originalError ?? error, path: error.path, service: error.extensions?.serviceName }, 'unexpected error');
          }
        },
      };
    },
  };
}

/**
 * Builds a Federation 2 subgraph on an express app with health and metrics.
 * Every GraphQL request must carry the gateway's signed internal header; nothing else is trusted.
 */
export async function createSubgraphServer<C extends BaseContext>(options: SubgraphServerOptions<C>) {
  const { logger, metrics } = options;
  const server = new ApolloServer<C>({
    schema: buildSubgraphSchema([{ typeDefs: options.typeDefs, resolvers: toResolverMap(options.resolvers) }]),
    formatError: maskError,
    includeStacktraceInErrorResponses: false,
    // inline (ftv1) traces are for Apollo Studio, which is off unless configured
    plugins: [errorLogging<C>(metrics), ApolloServerPluginInlineTraceDisabled(), operationSpanPlugin()],
    logger,
  });
  await server.start();
  const app = createServiceApp({ logger, metrics, readiness: options.readiness });
  options.routes?.(app);
  app.use(
    '/graphql',
    ...(options.graphqlMiddleware ?? []),
    express.json({ limit: '2mb' }),
    expressMiddleware(server, {
      context: async ({ req }) => {
        const header = req.headers[INTERNAL_HEADER];
        const claims = await verifyInternalToken(typeof header === 'string' ? header : undefined, options.internalSecret);
        const requestId = claims.requestId ?? req.id;
        return options.createContext({ viewer: claims.viewer, requestId, log: logger.child({ requestId }), ip: claims.ip });
      },
    }),
  );
  app.use(graphqlErrorHandler(logger));
  return { app, server };
}
