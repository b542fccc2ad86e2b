import { readFileSync } from 'node:fs';
import { graphqlMultipart } from '@fabline/shared/multipart';
import type { Runtime } from '@fabline/shared/runtime';
import { localFileRoutes } from '@fabline/shared/storageConfig';
import { createSubgraphServer } from '@fabline/shared/subgraph';
import { parse } from 'graphql';
import { createContext, type ShopDeps } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the shop subgraph app; `main.ts` listens. */
export function createShopServer(deps: ShopDeps, runtime: Runtime) {
  return createSubgraphServer({
    typeDefs,
    // @apollo/subgraph types __resolveReference like a field resolver; codegen types it as it is called (reference, context, info)
    resolvers: resolvers as never,
    internalSecret: deps.env.INTERNAL_SECRET,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: { ...runtime.readiness, postgres: () => deps.prisma.$queryRaw`SELECT 1` },
    createContext: createContext(deps),
    // the local adapter's signed links (downloads, direct uploads); the gateway proxies /files here
    routes: (app) => app.use('/files', localFileRoutes(deps.storage, deps.env.MAX_UPLOAD_BYTES, { idleTimeoutMs: deps.env.UPLOAD_IDLE_TIMEOUT_MS })),
    graphqlMiddleware: [
      graphqlMultipart({ maxFileSize: deps.env.MAX_UPLOAD_BYTES, maxFiles: deps.env.MAX_UPLOAD_FILES, idleTimeoutMs: deps.env.UPLOAD_IDLE_TIMEOUT_MS }),
    ],
  });
}
