import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';

/**
 * Plain `@apollo/gateway` on `@apollo/server` 5 as the public benchmark runs it: defaults
 * everywhere, standalone server, one cluster worker per core (FORK overrides).
 */
const forks = process.env.FORK ? Number(process.env.FORK) : availableParallelism();
if (cluster.isPrimary && forks > 1) {
  for (let i = 0; i < forks; i++) cluster.fork();
} else {
  const gateway = new ApolloGateway({ supergraphSdl: readFileSync(String(process.env.SUPERGRAPH_PATH), 'utf8') });
  const server = new ApolloServer({ gateway });
  await startStandaloneServer(server, { listen: { port: Number(process.env.PORT ?? 4000), host: '127.0.0.1' } });
}
