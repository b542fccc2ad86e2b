import type { ChildProcess } from 'node:child_process';
import { gql, type Stack, startStack } from '@fabline/dev';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { credentials, operationRequestArbitrary, rawJsonRequestArbitrary } from './fuzz/bodies.ts';
import { hostileOperationArbitrary, operationArbitrary } from './fuzz/documents.ts';
import { multipartRequestArbitrary } from './fuzz/multipart.ts';
import { describeSession, playSession, wsSessionArbitrary } from './fuzz/websocket.ts';
import { describeWire, send, verdict, type WireRequest } from './fuzz/wire.ts';

// Generated requests against a real gateway and subgraphs, on loopback. Whatever a client sends,
// the gateway answers (no stall, no reset of a complete request), never with a 5xx, every GraphQL
// error has a code, and afterwards the platform still answers a plain query with every process up.
// Bounded: a fixed seed (FUZZ_SEED) and run count (FUZZ_RUNS, split across the properties below).

const SEED = Number(process.env.FUZZ_SEED ?? 18_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** FUZZ_KEEP_GOING=1 lists every failing input instead of stopping at the first and shrinking it. */
const KEEP_GOING = process.env.FUZZ_KEEP_GOING === '1';
const found: string[] = [];
/** A complete request unanswered after this long counts as a stall. */
const STALL_MS = 10_000;
/**
 * Per property, shrinking included: later runs pass without sending, so fast-check stops and
 * reports the smallest counterexample so far. (Its own interruptAfterTimeLimit would leave a
 * run going in the background, racing the next property for the gateway.)
 */
const PROPERTY_MS = 90_000;
let deadline = 0;
const PLAIN = '{ materials { code } }';
const UPLOAD_LIMIT = 128 * 1024;

let stack: Stack;
let gateway: { url: string; child: ChildProcess };
/** Processes this suite replaced after they died or hung; not counted again. */
const retired = new Set<ChildProcess>();
/** Set when a run took a process down or wedged it: later runs of the property pass without sending, so fast-check reports that run's input. */
let broken: string | null = null;

const deadProcesses = () =>
  [...stack.processes.entries()]
    .filter(([, child]) => !retired.has(child) && (child.exitCode !== null || child.signalCode !== null))
    .map(([name, child]) => `${name} (exit ${child.exitCode ?? child.signalCode})`);

/** Why the platform is not healthy after a request, or null. */
async function unhealthy(): Promise<string | null> {
  const dead = deadProcesses();
  if (dead.length) return `process exited: ${dead.join(', ')}`;
  try {
    const response = await fetch(gateway.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: PLAIN }),
      signal: AbortSignal.timeout(STALL_MS),
    });
    const body = (await response.json()) as { data?: { materials?: unknown[] } };
    if (response.status !== 200 || !body.data?.materials?.length) return `the plain query got HTTP ${response.status}: ${JSON.stringify(body).slice(0, 200)}`;
  } catch (error) {
    const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
    return `the plain query got no answer: ${(error as Error).message}${cause ? ` (${cause.code ?? cause.message})` : ''}`;
  }
  const late = deadProcesses();
  return late.length ? `process exited: ${late.join(', ')}` : null;
}

/** One generated input: how to play it against the gateway (null when its outcome is fine) and how to print it. */
interface Case {
  play(url: string): Promise<string | null>;
  describe(): string;
}

/** One run: the case's own verdict, then the platform's health. Throws what went wrong. */
let played = 0;
async function probe(input: Case): Promise<void> {
  if (broken || Date.now() > deadline) return;
  played++;
  const wrong = await input.play(gateway.url);
  const sick = await unhealthy();
  if (sick) broken = sick;
  if (!wrong && !sick) return;
  const message = [wrong, sick && `after it: ${sick}`].filter(Boolean).join('; ');
  if (!KEEP_GOING) throw new Error(message);
  found.push(`${message}\n    ${input.describe().slice(0, 700).replaceAll('\n', '\n    ')}`);
  await recover();
}

/** Replaces a dead or hung gateway and restarts dead subgraphs, so one defect does not hide the next. */
async function recover() {
  if (!broken) return;
  broken = null;
  // a snapshot: the replacement gateway joins stack.processes while this loop runs
  for (const [name, child] of [...stack.processes]) {
    if (retired.has(child)) continue;
    const dead = child.exitCode !== null || child.signalCode !== null;
    if (child === gateway.child) {
      retired.add(child);
      if (!dead) child.kill('SIGKILL');
      gateway = await stack.spawnExtra('gateway');
    } else if (dead && (name === 'shop' || name === 'crm' || name === 'mes')) {
      retired.add(child);
      await stack.restart(name);
    }
  }
  const still = await unhealthy();
  if (still) throw new Error(`the stack did not recover: ${still}`);
}

const withToString = (input: Case) => Object.assign(input, { [fc.toStringMethod]: () => input.describe() });
const http = (arbitrary: fc.Arbitrary<WireRequest>) =>
  arbitrary.map((wire) => withToString({ play: async (url) => verdict(wire, await send(url, wire, STALL_MS)), describe: () => describeWire(wire) }));

/** Runs one property with its share of the runs; the same seed for every property keeps a run reproducible alone. */
async function fuzz(arbitrary: fc.Arbitrary<Case>, share: number) {
  const numRuns = Math.max(1, Math.round(RUNS * share));
  found.length = 0;
  played = 0;
  const started = Date.now();
  deadline = started + PROPERTY_MS;
  try {
    await fc.assert(fc.asyncProperty(arbitrary, probe), { seed: SEED, numRuns });
  } finally {
    console.info(`fuzz: ${played} inputs played (${numRuns} runs asked) in ${Date.now() - started} ms`);
  }
  if (found.length) throw new Error(`${found.length} failing inputs:\n${found.join('\n')}`);
  // a batch is over: every process is ready, not only up
  for (const url of [gateway.url, stack.urls.shop, stack.urls.crm, stack.urls.mes]) {
    const response = await fetch(url.replace('/graphql', '/readyz'), { signal: AbortSignal.timeout(STALL_MS) });
    expect(response.status, `${url} /readyz`).toBe(200);
  }
  expect(await unhealthy()).toBeNull();
}

beforeAll(async () => {
  console.info(`fuzz: seed ${SEED}, ${RUNS} runs (FUZZ_SEED, FUZZ_RUNS to change)`);
  stack = await startStack({
    env: {
      LOG_LEVEL: 'warn',
      // the fuzz sends a few hundred requests from one address: rate limits are not what it tests
      RATE_LIMIT_REQUESTS: '{"default":1000000}',
      RATE_LIMIT_COST_POINTS: '{"default":1000000000}',
      LOGIN_LIMIT_PER_MINUTE: '1000',
      MAX_UPLOAD_BYTES: String(UPLOAD_LIMIT),
    },
  });
  gateway = { url: stack.urls.gateway, child: stack.processes.get('gateway') as ChildProcess };
  const email = `fuzz${Date.now()}@example.com`;
  const signedUp = await gql(gateway.url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
    input: { email, password: 'correct horse battery', name: 'Fuzz Customer' },
  });
  credentials.customerToken = signedUp.signUp.token;
});
afterAll(async () => {
  await stack?.stop();
});
beforeEach(recover);

// Counterexamples the fuzz found that outlived the fixes of issue 18, kept as plain regressions.
describe('requests the fuzz found answered with a 500', () => {
  const post = async (body: unknown) => {
    const response = await fetch(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] } };
  };

  it('refuses inline fragments nested a thousand deep before the query planner recurses through them', async () => {
    const depth = 1300; // within the 5,000-token limit
    const result = await post({ query: `{ ${'... { '.repeat(depth)}__typename${' }'.repeat(depth)} }` });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('MAX_DEPTH_LIMIT');
    expect(result.body.errors?.[0]?.message).toMatch(/nests 1301 selection sets/);
  });

  it('answers an automatic persisted query of an unsupported version with a 400 and a code', async () => {
    const result = await post({ query: '{ __typename }', extensions: { persistedQuery: { version: 2, sha256Hash: 'a'.repeat(64) } } });
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(result.body.errors?.[0]?.message).toBe('Unsupported persisted query version');
  });

  it('refuses a subscription sent as a plain HTTP request, naming the transports that serve it', async () => {
    for (const query of [
      'subscription { quoteReady(quoteId: "1") { id } }',
      'subscription($s: Boolean = true) { quoteReady(quoteId: "1") @skip(if: $s) { id } }',
    ]) {
      const result = await post({ query });
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.body.errors?.[0]?.message).toMatch(/WebSocket.*text\/event-stream/);
    }
  });

  it('refuses a document whose subscription skips a root field on a variable, whichever operation it selects, over POST and GET', async () => {
    // graphql-js's SingleFieldSubscriptionsRule throws out of validation on it, for every operation of the document
    const query = 'query Q { __typename } subscription S($s: Boolean!) { quoteReady(quoteId: "1") @skip(if: $s) { id } }';
    const posted = await post({ query, operationName: 'Q', variables: { s: true } });
    const params = new URLSearchParams({ query, operationName: 'Q', variables: '{"s":true}' });
    const got = await fetch(`${gateway.url}?${params}`, { headers: { 'apollo-require-preflight': 'true' } });
    for (const result of [posted, { status: got.status, body: (await got.json()) as typeof posted.body }]) {
      expect(result.status).toBe(400);
      expect(result.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(result.body.errors?.[0]?.message).toMatch(/@skip\/@include/);
    }
  });
});

describe('fuzzing the gateway with generated requests', { timeout: 240_000 }, () => {
  it('operations generated from the supergraph, sent as POST, GET, batches and APQ', async () => {
    await fuzz(http(operationRequestArbitrary(operationArbitrary())), 0.3);
  });

  it('hostile documents: fragment ladders and cycles, deep nesting, alias and directive floods, odd values', async () => {
    await fuzz(http(operationRequestArbitrary(hostileOperationArbitrary)), 0.15);
  });

  it('raw JSON bodies: truncated, not objects, duplicate keys, huge numbers, deep arrays, wrong content types', async () => {
    await fuzz(http(rawJsonRequestArbitrary), 0.2);
  });

  it('GraphQL multipart requests: truncated, reordered, bad maps, files mapped twice, oversized', async () => {
    await fuzz(http(multipartRequestArbitrary), 0.25);
  });

  it('graphql-ws sessions: odd init payloads, subscribe before init, duplicate ids, junk and oversized frames', async () => {
    await fuzz(
      wsSessionArbitrary.map((frames) => withToString({ play: (url) => playSession(url, frames, STALL_MS), describe: () => describeSession(frames) })),
      0.1,
    );
  });
});
