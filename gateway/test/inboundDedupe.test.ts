import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { describe, expect, it } from 'vitest';
import { inboundDedupePlugin } from '../src/perf/inboundDedupe.ts';

type Context = { viewer: { id: string; role: string } | null };

/** A server whose one query takes `ms` and counts its executions; `bump` is a mutation. */
function setUp(ms = 40, before: ApolloServerPlugin<Context>[] = []) {
  let executions = 0;
  let value = 0;
  const dedupe = inboundDedupePlugin<Context>();
  const server = new ApolloServer<Context>({
    typeDefs: 'type Query { slow: Int } type Mutation { bump: Int }',
    resolvers: {
      Query: {
        slow: async () => {
          executions++;
          const seen = value;
          await new Promise((resolve) => setTimeout(resolve, ms));
          return seen;
        },
      },
      Mutation: { bump: () => ++value },
    },
    plugins: [...before, dedupe],
  });
  const run = (query: string, viewer: Context['viewer'] = { id: 'u1', role: 'CUSTOMER' }) =>
    server.executeOperation({ query }, { contextValue: { viewer } }).then((r) => (r.body.kind === 'single' ? r.body.singleResult : null));
  return { server, dedupe, run, executions: () => executions };
}

describe('inbound in-flight dedupe', () => {
  it('runs identical concurrent queries of one viewer once and answers both', async () => {
    const { server, run, executions } = setUp();
    await server.start();
    const answers = await Promise.all([run('{ slow }'), run('{ slow }'), run('{ slow }')]);
    expect(executions()).toBe(1);
    for (const answer of answers) expect(answer?.data).toEqual({ slow: 0 });
    await server.stop();
  });

  it("shares the execution's own extensions but not another request's cost report", async () => {
    let requests = 0;
    // as in the gateway: @apollo/gateway puts `valueCompletion` on the result it executed; traffic control adds each request's `cost`
    const extensions: ApolloServerPlugin<Context> = {
      async requestDidStart() {
        const request = ++requests;
        let executed = false;
        return {
          async executionDidStart() {
            executed = true;
          },
          async willSendResponse({ response }) {
            if (response.body.kind !== 'single') return;
            const single = response.body.singleResult;
            single.extensions = { ...single.extensions, ...(executed ? { valueCompletion: ['a null propagated'] } : {}), cost: request };
          },
        };
      },
    };
    const { server, run, executions } = setUp(40, [extensions]);
    await server.start();
    const answers = await Promise.all([run('{ slow }'), run('{ slow }'), run('{ slow }')]);
    expect(executions()).toBe(1);
    expect(answers.map((a) => a?.extensions)).toEqual([1, 2, 3].map((cost) => ({ valueCompletion: ['a null propagated'], cost })));
    await server.stop();
  });

  it('never shares between viewers', async () => {
    const { server, run, executions } = setUp();
    await server.start();
    await Promise.all([run('{ slow }', { id: 'u1', role: 'CUSTOMER' }), run('{ slow }', { id: 'u2', role: 'CUSTOMER' }), run('{ slow }', null)]);
    expect(executions()).toBe(3);
    await server.stop();
  });

  it('never lets a query that arrives after a mutation join one that started before it', async () => {
    const { server, run, executions } = setUp();
    await server.start();
    const before = run('{ slow }');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await run('mutation { bump }');
    const after = await run('{ slow }');
    expect((await before)?.data).toEqual({ slow: 0 });
    expect(after?.data).toEqual({ slow: 1 });
    expect(executions()).toBe(2);
    await server.stop();
  });

  it('never lets a query join across an invalidation the gateway heard of', async () => {
    const { server, dedupe, run, executions } = setUp();
    await server.start();
    const before = run('{ slow }');
    await new Promise((resolve) => setTimeout(resolve, 5));
    dedupe.noteChange();
    await Promise.all([before, run('{ slow }')]);
    expect(executions()).toBe(2);
    await server.stop();
  });
});
