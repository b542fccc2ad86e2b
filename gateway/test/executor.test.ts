import { readFileSync } from 'node:fs';
import { ApolloGateway, type GraphQLDataSource, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FablineDataSource } from '../src/dataSource.ts';
import { createPlanExecutor } from '../src/execution/executor.ts';

// Fabline's executor against @apollo/gateway's own on the project's supergraph, with subgraph
// answers no well-behaved subgraph gives (wrong leaf types, nulls in non-null fields, unknown
// __typenames, extra fields, fields out of order): the shaping pass's errors (`valueCompletion`),
// null propagation and key order must be the same. differential.e2e.ts covers real subgraphs.

const supergraphSdl = readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8');

/** What the MES subgraph answers next; every fetch is recorded. */
let answer: { data?: unknown; errors?: unknown[] } = { data: null };
const fetches: string[] = [];

const fakeSubgraph: GraphQLDataSource = {
  async process(options) {
    fetches.push(options.request.query ?? '');
    return structuredClone(answer) as Awaited<ReturnType<GraphQLDataSource['process']>>;
  },
};

/** Requests Fabline's executor left to Apollo's. */
let leftToApollo = 0;

function server(own: boolean) {
  const gateway = new ApolloGateway({ supergraphSdl, buildService: () => fakeSubgraph });
  if (own) {
    const apolloExecutor = gateway.executor;
    gateway.executor = (requestContext) => {
      leftToApollo++;
      return apolloExecutor(requestContext);
    };
    gateway.executor = createPlanExecutor(gateway);
  }
  return new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
}

const apollo = server(false);
const fabline = server(true);

beforeAll(async () => {
  await Promise.all([apollo.start(), fabline.start()]);
});
afterAll(async () => {
  await Promise.all([apollo.stop(), fabline.stop()]);
});

async function both(query: string, variables?: Record<string, unknown>) {
  const run = async (s: ApolloServer) => {
    fetches.length = 0;
    leftToApollo = 0;
    const response = await s.executeOperation({ query, variables });
    return { body: JSON.stringify(response.body.kind === 'single' ? response.body.singleResult : null), fetches: [...fetches], leftToApollo };
  };
  return { reference: await run(apollo), ours: await run(fabline) };
}

const material = { code: 'PLA', name: 'PLA', densityGCm3: 1.24, pricePerKg: '25.00' };

describe("Fabline's executor answers as @apollo/gateway's on odd subgraph answers", () => {
  const cases: [string, string, unknown, Record<string, unknown>?][] = [
    ['a well-formed answer', '{ materials { code name densityGCm3 } }', { materials: [material] }],
    [
      'fields in another order, and fields not asked for',
      '{ materials { name code } }',
      { materials: [{ pricePerKg: '1', code: 'PLA', extra: 1, name: 'x' }] },
    ],
    ['a string where a Float is declared', '{ materials { code densityGCm3 } }', { materials: [{ ...material, densityGCm3: 'heavy' }] }],
    ['a number where a String is declared', '{ materials { code name } }', { materials: [{ ...material, name: 7 }] }],
    [
      'null in a non-null field of a non-null list item: bubbles to data',
      '{ materials { code name } }',
      { materials: [material, { ...material, name: null }] },
    ],
    ['null in a non-null field under a nullable root field', '{ material(code: "PLA") { code name } }', { material: { ...material, code: null } }],
    ['an unknown __typename', '{ material(code: "PLA") { __typename code } }', { material: { __typename: 'Nope', code: 'PLA' } }],
    ['__typename missing, asked under an alias', '{ material(code: "PLA") { t: __typename code } }', { material: { code: 'PLA' } }],
    ['a list where an object is declared', '{ material(code: "PLA") { code } }', { material: [material] }],
    [
      'skip and include with variables and defaults',
      'query ($a: Boolean = true, $b: Boolean!) { material(code: "PLA") { code @include(if: $a) name @skip(if: $b) ... on Material @include(if: $b) { densityGCm3 } } }',
      { material: material },
      { b: true },
    ],
    [
      'a null for a defaulted condition variable (left to Apollo)',
      'query ($a: Boolean = true) { material(code: "PLA") { code @include(if: $a) name } }',
      { material },
      { a: null },
    ],
    [
      'enum and ID leaves: a known value, an unknown one, a number for an ID, a fraction for an ID',
      '{ printers { id status } }',
      {
        printers: [
          { id: 'p1', status: 'IDLE' },
          { id: 7, status: 'BROKEN' },
          { id: 7.5, status: 'PRINTING' },
          { id: true, status: 3 },
        ],
      },
    ],
    [
      'a variable default for a plan condition (left to the plan, not to Apollo)',
      'query ($m: Boolean = false) { printers { id materials @include(if: $m) { code } } }',
      { printers: [{ id: 'p1' }] },
    ],
    ['introspection beside data (left to Apollo)', '{ __type(name: "Material") { name } materials { code } }', { materials: [material] }],
  ];
  it.each(cases)('%s', async (name, query, data, variables) => {
    answer = { data };
    const { reference, ours } = await both(query, variables);
    expect(ours.body).toBe(reference.body);
    expect(ours.fetches).toEqual(reference.fetches);
    expect(ours.leftToApollo).toBe(name.endsWith('(left to Apollo)') ? 1 : 0);
  });

  it('passes subgraph errors on with their paths, as Apollo does', async () => {
    answer = { data: { materials: [material, null] }, errors: [{ message: 'boom', path: ['materials', 1], extensions: { code: 'NOT_FOUND' } }] };
    const { reference, ours } = await both('{ materials { code } }');
    expect(ours.body).toBe(reference.body);
  });

  it('gives invalid variables the errors Apollo gives, without fetching', async () => {
    answer = { data: { material } };
    const { reference, ours } = await both('query ($c: String!) { material(code: $c) { code } }', { c: 3 });
    expect(ours.body).toBe(reference.body);
    expect(ours.fetches).toEqual([]);
  });
});

describe('compiled operations', () => {
  it('are dropped oldest first beyond their budget, and compiled again when asked for', async () => {
    const gateway = new ApolloGateway({ supergraphSdl, buildService: () => fakeSubgraph });
    gateway.executor = createPlanExecutor(gateway, { maxCompiledSteps: 3 });
    const small = new ApolloServer({ gateway });
    await small.start();
    try {
      answer = { data: { materials: [material] } };
      const queries = ['{ materials { code } }', '{ materials { code name } }', '{ materials { name densityGCm3 code } }'];
      for (let round = 0; round < 3; round++) {
        for (const query of queries) {
          const response = await small.executeOperation({ query });
          const reference = await apollo.executeOperation({ query });
          expect(JSON.stringify(response.body)).toBe(JSON.stringify(reference.body));
        }
      }
    } finally {
      await small.stop();
    }
  });
});

describe('the @apollo/gateway internals Fabline relies on', () => {
  it('are still there (an upgrade that renames one must fail here)', async () => {
    const gateway = new ApolloGateway({ supergraphSdl, buildService: () => fakeSubgraph });
    await gateway.load();
    const fields = gateway as unknown as Record<string, unknown>;
    for (const name of ['apiSchema', 'schema', 'supergraphSchema', 'queryPlanner', 'serviceMap']) expect(fields[name], name).toBeTruthy();
    expect(typeof fields.recursiveSelectionsLimitDisabled).toBe('boolean');
    expect(typeof fields.nonLocalSelectionsLimitDisabled).toBe('boolean');
    await gateway.stop();
  });

  it("include RemoteGraphQLDataSource's sendRequest, which FablineDataSource replaces", () => {
    expect(typeof (RemoteGraphQLDataSource.prototype as unknown as Record<string, unknown>).sendRequest).toBe('function');
    expect(Object.hasOwn(FablineDataSource.prototype, 'sendRequest')).toBe(true);
  });
});
