import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { freePort, UNLIMITED_CLIENT_ENV } from '@fabline/dev';
import { removeNamespace } from '@fabline/dev/cleanup';
import { maskError } from '@fabline/shared/subgraph';
import type { GraphQLFormattedError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpus, type DifferentialCase, unknownOperation } from './differential/corpus.ts';
import { calls, reset, startSubgraphs } from './differential/subgraphs.ts';

// Identical to @apollo/gateway, proved on a corpus: every operation runs on plain @apollo/gateway
// (ApolloServer + ApolloGateway, nothing else) and on Fabline's gateway (src/main.ts, every default
// feature on) over the same supergraph and subgraphs; status, data, errors with their paths, nulls
// and the subgraph calls must match. Intended differences, stated here and nowhere else: an error
// without a client code reaches the client as `Internal server error` (maskError), so the
// reference's errors pass through that same function before the comparison; and a request naming an
// operation its document lacks is the client's mistake (400 OPERATION_RESOLUTION_FAILURE, see
// requestChecks.ts) where Apollo Server gives no client code (its own test below).

interface Answer {
  status: number;
  body: { data?: unknown; errors?: GraphQLFormattedError[]; extensions?: unknown };
  /** The documents each subgraph received, sorted (fetches that run in parallel may start in either order). */
  fetches: Record<string, string[]>;
}

let subgraphs: Server;
let dir: string;
let apollo: { url: string; stop(): Promise<void> };
const fabline: Record<string, { url: string; child: ChildProcess }> = {};
/** Each Fabline gateway's Redis prefix: its keys are removed when the test ends. */
const namespaces: string[] = [];

/** Fabline's gateway as deployed: main.ts with its defaults, on this supergraph (variants add env). */
async function startFabline(supergraphPath: string, extra: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const namespace = `fabline_diff_${randomBytes(4).toString('hex')}`;
  namespaces.push(namespace);
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: new URL('..', import.meta.url).pathname,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      GATEWAY_PORT: String(port),
      METRICS_PORT: '0',
      SUPERGRAPH_PATH: supergraphPath,
      NAMESPACE: namespace,
      LOG_LEVEL: 'error',
      // the corpus is sent as text, and many times over: a partner's API use, without its rate limit
      PERSISTED_QUERIES_ONLY: 'off',
      ...UNLIMITED_CLIENT_ENV,
      ...extra,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}/graphql`;
  // ready once it answers a query: its /readyz asks shop, crm and mes, which this supergraph does not have
  for (const started = Date.now(); ; await sleep(250)) {
    if (child.exitCode !== null) throw new Error(`Fabline's gateway exited with ${child.exitCode} while starting: ${tail}`);
    if (Date.now() - started > 100_000) throw new Error(`Fabline's gateway did not answer within 100s: ${tail}`);
    const ok = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query":"{ __typename }"}' }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
  }
  return { url, child };
}

async function ask(url: string, { query, variables, operationName }: DifferentialCase): Promise<Answer> {
  for (const name of Object.keys(calls)) delete calls[name];
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, variables, operationName }),
  });
  const body = (await response.json()) as Answer['body'];
  const fetches = Object.fromEntries(Object.entries(calls).map(([name, documents]) => [name, [...documents].sort()]));
  return { status: response.status, body, fetches };
}

/** The reference's answer as Fabline's policy shows it to a client: errors without a client code masked. */
const masked = (answer: Answer): Answer =>
  answer.body.errors ? { ...answer, body: { ...answer.body, errors: answer.body.errors.map((e) => maskError(e, undefined)) } } : answer;

beforeAll(async () => {
  const started = await startSubgraphs();
  subgraphs = started.server;
  dir = mkdtempSync(join(tmpdir(), 'fabline-differential-'));
  const supergraphPath = join(dir, 'supergraph.graphql');
  writeFileSync(supergraphPath, started.supergraphSdl);
  const server = new ApolloServer({ gateway: new ApolloGateway({ supergraphSdl: started.supergraphSdl }) });
  const { url } = await startStandaloneServer(server, { listen: { port: 0, host: '127.0.0.1' } });
  apollo = { url, stop: () => server.stop() };
  const [defaults, undeduplicated] = await Promise.all([
    startFabline(supergraphPath, {}),
    // the benchmark's undeduplicated path: every request executed on its own, no response cache
    startFabline(supergraphPath, { GATEWAY_INBOUND_DEDUPE: 'false', CACHE_ENABLED: 'false' }),
  ]);
  fabline.defaults = defaults as { url: string; child: ChildProcess };
  fabline['inbound dedupe off, cache off'] = undeduplicated as { url: string; child: ChildProcess };
}, 120_000);

afterAll(async () => {
  await Promise.all(
    Object.values(fabline)
      .filter(({ child }) => child.exitCode === null)
      .map(({ child }) => {
        child.kill('SIGTERM');
        return once(child, 'exit');
      }),
  );
  // the gateways' cache epoch and rate-limit keys
  for (const namespace of namespaces) await removeNamespace(namespace);
  await apollo?.stop();
  subgraphs?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(['defaults', 'inbound dedupe off, cache off'])("Fabline's gateway (%s) answers as plain @apollo/gateway", (variant) => {
  it.each(corpus.map((c) => [c.name, c] as const))('%s', async (_name, operation) => {
    reset();
    const reference = masked(await ask(apollo.url, operation));
    reset();
    const answer = await ask((fabline[variant] as { url: string }).url, operation);
    // key order is part of a GraphQL answer: compare the serialised forms, not only the values
    expect(JSON.stringify(answer.body, null, 1)).toBe(JSON.stringify(reference.body, null, 1));
    expect(answer.status).toBe(reference.status);
    expect(answer.fetches).toEqual(reference.fetches);
  });
});

describe('intended differences', () => {
  it('answers an unknown operation name as a client mistake with the message Apollo Server gives', async () => {
    const reference = await ask(apollo.url, unknownOperation);
    const referenceError = reference.body.errors?.[0];
    expect(referenceError?.message).toBe('Unknown operation named "B".');
    expect(maskError(referenceError as GraphQLFormattedError, undefined).extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    for (const { url } of Object.values(fabline)) {
      const answer = await ask(url, unknownOperation);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ errors: [{ message: referenceError?.message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } }] });
      expect(answer.fetches).toEqual({});
    }
  });
});

describe('concurrent identical and distinct queries', () => {
  it('answers each as plain @apollo/gateway does when they arrive together (shared executions under inbound dedupe)', async () => {
    const queries = corpus.filter((c) => !c.query.trimStart().startsWith('mutation'));
    reset();
    const references = await Promise.all(queries.map(async (c) => JSON.stringify(masked(await ask(apollo.url, c)).body)));
    for (const variant of Object.keys(fabline)) {
      const url = (fabline[variant] as { url: string }).url;
      // each operation three times at once, all operations together
      const answers = await Promise.all(
        [0, 1, 2].flatMap(() =>
          queries.map((c) =>
            fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(c) }).then(async (r) =>
              JSON.stringify(await r.json()),
            ),
          ),
        ),
      );
      answers.forEach((answer, i) => {
        expect({ variant, case: queries[i % queries.length]?.name, answer }).toEqual({
          variant,
          case: queries[i % queries.length]?.name,
          answer: references[i % queries.length],
        });
      });
    }
  });
});
