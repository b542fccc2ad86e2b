import { performance } from 'node:perf_hooks';
import { composeServices } from '@apollo/composition';
import { ApolloGateway, type GraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { execute, parse } from 'graphql';
import { createPlanExecutor } from '../src/execution/executor.ts';
import { median, pairedMedian, quartiles, roundOrder } from './rounds.ts';
import { expectedResponse, QUERY } from './subgraphs/data.ts';
import { buildSchemas, SUBGRAPHS, sdl } from './subgraphs/schemas.ts';

/**
 * `npm run bench:executor`: the query plan executor alone, Fabline's against @apollo/gateway's own
 * (the peer), in one process on the federation benchmark's supergraph and query. Subgraph answers
 * are computed once and then served as their JSON text, parsed for every fetch (what the HTTP data
 * source does), so both executors get the same subgraph work and nothing else differs: no network,
 * no other process. Each request goes through ApolloServer.executeOperation (parse and validation
 * cached, as in the gateway). Rounds alternate which executor runs first. Options:
 * `--requests=N` per round (default 400), `--rounds=N` (default 10), `--only=fabline` (for `--cpu-prof`).
 */

const option = (name: string, fallback: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback);
const requests = option('requests', 400);
const rounds = option('rounds', 10);

const schemas = buildSchemas();
const supergraph = composeServices(SUBGRAPHS.map((name) => ({ name, url: `http://bench.invalid/${name}`, typeDefs: parse(sdl[name]) })));
if (supergraph.errors) throw new Error(supergraph.errors.map((e) => e.message).join('\n'));

const answers = new Map<string, string>();
const subgraph = (name: (typeof SUBGRAPHS)[number]): GraphQLDataSource => ({
  async process({ request }) {
    const key = `${name}\n${request.query}\n${JSON.stringify(request.variables)}`;
    let text = answers.get(key);
    if (text === undefined) {
      const result = await execute({ schema: schemas[name], document: parse(request.query ?? ''), variableValues: request.variables });
      text = JSON.stringify(result);
      answers.set(key, text);
    }
    return JSON.parse(text);
  },
});

async function server(own: boolean) {
  const gateway = new ApolloGateway({ supergraphSdl: supergraph.supergraphSdl, buildService: ({ name }) => subgraph(name as (typeof SUBGRAPHS)[number]) });
  if (own) gateway.executor = createPlanExecutor(gateway);
  const s = new ApolloServer({ gateway });
  await s.start();
  return s;
}

const only = process.argv.find((a) => a.startsWith('--only='))?.split('=')[1];
const executors = { apollo: await server(false), fabline: await server(true) };
const expected = JSON.stringify(expectedResponse().data);
for (const [name, s] of Object.entries(executors)) {
  const response = await s.executeOperation({ query: QUERY });
  const data = response.body.kind === 'single' ? JSON.stringify(response.body.singleResult.data) : '';
  if (data !== expected) throw new Error(`${name} answered something else than the oracle`);
}

const perSecond: Record<keyof typeof executors, number[]> = { apollo: [], fabline: [] };
for (let round = 0; round < rounds; round++) {
  for (const name of roundOrder(['apollo', 'fabline'] as const, round)) {
    if (only && name !== only) continue;
    const s = executors[name];
    const started = performance.now();
    for (let i = 0; i < requests; i++) await s.executeOperation({ query: QUERY });
    perSecond[name].push((requests / (performance.now() - started)) * 1000);
  }
}

const row = (name: keyof typeof executors) => {
  const [q1, q3] = quartiles(perSecond[name]);
  return `| ${name === 'apollo' ? "@apollo/gateway's executeQueryPlan" : "Fabline's executor"} | ${median(perSecond[name]).toFixed(0)} | ${q1.toFixed(0)}–${q3.toFixed(0)} |`;
};
console.log(`Node ${process.version}, ${requests} requests × ${rounds} rounds, one at a time, in process`);
console.log('| executor | requests/s (median) | middle half |\n| --- | ---: | ---: |');
if (!only || only === 'apollo') console.log(row('apollo'));
if (!only || only === 'fabline') console.log(row('fabline'));
if (!only) console.log(`Fabline ÷ Apollo, paired by round: ${pairedMedian(perSecond.fabline, perSecond.apollo).toFixed(2)}×`);
await Promise.all(Object.values(executors).map((s) => s.stop()));
