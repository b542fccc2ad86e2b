import { randomUUID } from 'node:crypto';
import { eventually, gql, graphql, type Stack, startStack } from '@fabline/dev';
import { Bus } from '@fabline/shared/bus';
import { EVENTS } from '@fabline/shared/events';
import { createLogger } from '@fabline/shared/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The admin side of dead letters, through the gateway: a message that keeps failing lands in its
// queue's dead-letter queue, where an admin lists it, reads why it failed, and replays it.
let stack: Stack;
let url: string;
let bus: Bus;
let admin: { token: string };
const QUEUE = 'crm.order-placed';

const logIn = async (email: string) =>
  (
    await gql<{ logIn: { token: string } }>(url, 'mutation($e: String!, $p: String!) { logIn(email: $e, password: $p) { token } }', {
      e: email,
      p: 'fabline-demo-2026',
    })
  ).logIn.token;

const QUEUES = 'query { eventQueues { name depth deadLetters } }';
const LETTERS = 'query($q: String!) { deadLetters(queue: $q, first: 10) { queue messageId type attempts error deadLetteredAt body } }';

beforeAll(async () => {
  stack = await startStack({ env: { LOG_LEVEL: 'error' } });
  url = stack.urls.gateway;
  bus = new Bus({ url: 'amqp://guest:guest@127.0.0.1:5672', namespace: stack.namespace, logger: createLogger({ name: 'test', level: 'silent' }) });
  admin = { token: await logIn('admin@fabline.dev') };
});
afterAll(async () => {
  await bus?.close();
  await stack?.stop();
});

describe('dead letters for admins', () => {
  it('lists a message that failed every retry, with why, then replays it to its queue', async () => {
    // an order.placed without its total: the CRM consumer cannot open a review for it
    const poison = randomUUID();
    await bus.publish(EVENTS.orderPlaced, { orderId: randomUUID(), customerId: randomUUID(), placedAt: new Date().toISOString() }, poison);

    // retried after 0.25, 1 and 4 s, then set aside
    const queue = await eventually(
      async () => {
        const { eventQueues } = await gql<{ eventQueues: { name: string; depth: number; deadLetters: number }[] }>(url, QUEUES, {}, admin);
        return eventQueues.find((q) => q.name === QUEUE && q.deadLetters === 1);
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(queue).toEqual({ name: QUEUE, depth: 0, deadLetters: 1 });

    const { deadLetters } = await gql<{ deadLetters: Record<string, unknown>[] }>(url, LETTERS, { q: QUEUE }, admin);
    expect(deadLetters).toHaveLength(1);
    const [letter] = deadLetters;
    expect(letter).toMatchObject({ queue: QUEUE, messageId: poison, type: EVENTS.orderPlaced, attempts: 4 });
    expect(String(letter?.error)).toMatch(/amount/);
    expect(Date.parse(String(letter?.deadLetteredAt))).toBeGreaterThan(Date.now() - 60_000);
    expect(JSON.parse(String(letter?.body))).toMatchObject({ id: poison, type: EVENTS.orderPlaced });
    // looking removed nothing
    expect((await gql<{ deadLetters: unknown[] }>(url, LETTERS, { q: QUEUE }, admin)).deadLetters).toHaveLength(1);

    // replayed: out of the dead-letter queue and handled again from a fresh attempt count; still
    // broken, so it fails every retry again and comes back, once
    const replay = await gql<{ replayDeadLetter: boolean }>(
      url,
      'mutation($q: String!, $id: ID!) { replayDeadLetter(queue: $q, messageId: $id) }',
      { q: QUEUE, id: poison },
      admin,
    );
    expect(replay.replayDeadLetter).toBe(true);
    const again = await eventually(
      async () => {
        const letters = (await gql<{ deadLetters: { messageId: string; deadLetteredAt: string; attempts: number }[] }>(url, LETTERS, { q: QUEUE }, admin))
          .deadLetters;
        return letters.length === 1 && letters[0]?.deadLetteredAt !== letter?.deadLetteredAt ? letters : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    );
    expect(again[0]).toMatchObject({ messageId: poison, attempts: 4 });

    const unknownId = await gql<{ replayDeadLetter: boolean }>(
      url,
      'mutation($q: String!, $id: ID!) { replayDeadLetter(queue: $q, messageId: $id) }',
      { q: QUEUE, id: randomUUID() },
      admin,
    );
    expect(unknownId.replayDeadLetter).toBe(false);
  });

  it('are for admins only, and name the queues when one is unknown', async () => {
    const manager = { token: await logIn('manager@fabline.dev') };
    const refused = await graphql(url, LETTERS, { q: QUEUE }, manager);
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const replay = await graphql(url, 'mutation($q: String!) { replayDeadLetters(queue: $q) }', { q: QUEUE }, manager);
    expect(replay.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const unknown = await graphql(url, LETTERS, { q: 'no.such-queue' }, admin);
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain(QUEUE);
  });
});
