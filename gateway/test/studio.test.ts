import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { afterEach, describe, expect, it } from 'vitest';
import { checkSupergraphSource, studioPlugins } from '../src/observability/studio.ts';

let server: ApolloServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function landingPage(env: Parameters<typeof studioPlugins>[0]) {
  server = new ApolloServer({ typeDefs: 'type Query { ok: Boolean }', plugins: studioPlugins(env) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  const response = await fetch(url, { headers: { accept: 'text/html' } });
  return { status: response.status, html: await response.text() };
}

describe('Apollo Studio and landing page', () => {
  it('offer Apollo Sandbox in development', async () => {
    const page = await landingPage({ NODE_ENV: 'development', SUPERGRAPH_SOURCE: 'file' });
    expect(page.status).toBe(200);
    expect(page.html).toMatch(/sandbox/i);
  });

  it('show no landing page in production', async () => {
    const page = await landingPage({ NODE_ENV: 'production', SUPERGRAPH_SOURCE: 'file' });
    expect(page.html).not.toMatch(/sandbox/i);
    expect(page.status).not.toBe(200);
  });

  it('report usage only with a key and a graph ref, and refuse uplink without them', () => {
    const reporting = (env: Parameters<typeof studioPlugins>[0]) =>
      studioPlugins(env)
        .map((p) => p as { __internal_plugin_id__?: string; __is_disabled_plugin__?: boolean })
        .filter((p) => p.__internal_plugin_id__ === 'UsageReporting' || p.__internal_plugin_id__ === 'SchemaReporting')
        .map((p) => `${p.__internal_plugin_id__}:${p.__is_disabled_plugin__ ? 'off' : 'on'}`);
    expect(reporting({ NODE_ENV: 'production', SUPERGRAPH_SOURCE: 'file', APOLLO_KEY: 'service:fabline:x' })).toEqual([
      'UsageReporting:off',
      'SchemaReporting:off',
    ]);
    expect(reporting({ NODE_ENV: 'production', SUPERGRAPH_SOURCE: 'file', APOLLO_KEY: 'service:fabline:x', APOLLO_GRAPH_REF: 'fabline@production' })).toEqual([
      'UsageReporting:on',
    ]);
    expect(() => checkSupergraphSource({ NODE_ENV: 'production', SUPERGRAPH_SOURCE: 'uplink' })).toThrow(/APOLLO_KEY and APOLLO_GRAPH_REF/);
  });
});
