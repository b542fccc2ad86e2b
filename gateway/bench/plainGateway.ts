// The peer for `bench:cache`: a minimal ApolloServer + ApolloGateway on the same subgraphs, signing
// the internal header like the Fabline gateway but with nothing else (no cache, no upload handling).
import { readFileSync } from 'node:fs';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { FablineDataSource, type GatewayContext } from '../src/dataSource.ts';
import { loadEnv } from '../src/env.ts';

const env = loadEnv(process.env);
const urls: Record<string, string> = { shop: env.SHOP_URL, crm: env.CRM_URL, mes: env.MES_URL };
const server = new ApolloServer<GatewayContext>({
  gateway: new ApolloGateway({
    supergraphSdl: readFileSync(env.SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => new FablineDataSource(urls[name] ?? String(url), env.INTERNAL_SECRET),
  }),
});
let requests = 0;
const { url } = await startStandaloneServer(server, {
  listen: { port: env.GATEWAY_PORT, host: '127.0.0.1' },
  context: async () => ({ viewer: null, requestId: `plain-${++requests}` }),
});
process.stdout.write(`plain gateway at ${url}\n`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));
