import { readFileSync } from 'node:fs';
import type { Runtime } from '@fabline/shared/runtime';
import { createSubgraphServer } from '@fabline/shared/subgraph';
import { parse } from 'graphql';
import { apiKeyRoutes } from './apiKeys.ts';
import { type CrmDeps, createContext } from './context.ts';
import { resolvers } from './resolvers/index.ts';

export const typeDefs = parse(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

/** Builds the crm subgraph app; `main.ts` listens. */
export function createCrmServer(deps: CrmDeps, runtime: Runtime) {
  return createSubgraphServer({
    typeDefs,
    resolvers,
    internalSecret: deps.env.INTERNAL_SECRET,
    logger: runtime.logger,
    metrics: runtime.metrics,
    readiness: { ...runtime.readiness, postgres: () => deps.prisma.$queryRaw`SELECT 1` },
    createContext: createContext(deps),
    routes: (app) => apiKeyRoutes(app, deps.prisma, deps.env.INTERNAL_SECRET),
  });
}
