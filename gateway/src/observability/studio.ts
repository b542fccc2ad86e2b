import type { ApolloServerPlugin } from '@apollo/server';
import {
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginSchemaReportingDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import { ApolloServerPluginUsageReporting } from '@apollo/server/plugin/usageReporting';
import { z } from 'zod';

/** Apollo GraphOS settings of the gateway. Without a key and a graph ref nothing is sent to Apollo. */
export const studioEnvShape = {
  /** A graph API key from GraphOS Studio; with APOLLO_GRAPH_REF it turns usage reporting on. */
  APOLLO_KEY: z.string().min(1).optional(),
  /** `<graph-id>@<variant>`, e.g. `fabline@production`. */
  APOLLO_GRAPH_REF: z
    .string()
    .regex(/^[\w-]+@[\w-]+$/, 'expected <graph-id>@<variant>')
    .optional(),
  /**
   * `file` reads SUPERGRAPH_PATH; `uplink` fetches the supergraph that GraphOS composed from the
   * published subgraphs (needs APOLLO_KEY and APOLLO_GRAPH_REF). @default file
   */
  SUPERGRAPH_SOURCE: z.enum(['file', 'uplink']).default('file'),
};

export interface StudioEnv {
  NODE_ENV: 'development' | 'test' | 'production';
  APOLLO_KEY?: string;
  APOLLO_GRAPH_REF?: string;
  SUPERGRAPH_SOURCE: 'file' | 'uplink';
}

/** True when usage reports go to GraphOS. */
export const reportsToStudio = (env: StudioEnv) => !!(env.APOLLO_KEY && env.APOLLO_GRAPH_REF);

/**
 * Usage reporting with a key and graph ref, explicitly nothing otherwise (usage, schema reports);
 * the landing page embeds Apollo Sandbox in development and is disabled in production.
 */
export function studioPlugins(env: StudioEnv): ApolloServerPlugin[] {
  const reporting = reportsToStudio(env)
    ? // errors are sent masked, as clients see them: their messages may carry customer data
      [ApolloServerPluginUsageReporting({ sendErrors: { masked: true } })]
    : [ApolloServerPluginUsageReportingDisabled(), ApolloServerPluginSchemaReportingDisabled()];
  const landing =
    env.NODE_ENV === 'production' ? ApolloServerPluginLandingPageDisabled() : ApolloServerPluginLandingPageLocalDefault({ embed: true, footer: false });
  return [...reporting, landing];
}

/** The `apollo` option of ApolloServer: explicit, so ApolloServer never falls back on its own defaults. */
export const apolloConfig = (env: StudioEnv) => (reportsToStudio(env) ? { key: env.APOLLO_KEY, graphRef: env.APOLLO_GRAPH_REF } : undefined);

/** Refuses `uplink` without credentials: the gateway would otherwise start with no schema. */
export function checkSupergraphSource(env: StudioEnv) {
  if (env.SUPERGRAPH_SOURCE === 'uplink' && !reportsToStudio(env)) {
    throw new Error('SUPERGRAPH_SOURCE=uplink needs APOLLO_KEY and APOLLO_GRAPH_REF (the managed supergraph is fetched from GraphOS)');
  }
}
