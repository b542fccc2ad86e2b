import { randomBytes } from 'node:crypto';
import { Bus, type EventEnvelope } from '@fabline/shared/bus';
import { databaseUrlFor, dropDatabase } from '@fabline/shared/database';
import { createLogger } from '@fabline/shared/logger';
import { createMetrics } from '@fabline/shared/metrics';
import { OutboxRelay, outboxEvent, processNew } from '@fabline/shared/outbox';
import { createPrisma } from '@fabline/shop/db';
import { setupDatabase } from '@fabline/shop/setup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../src/client.ts';

// The outbox against the real database and broker: what was committed is published, even after a crash.
const namespace = `fabline_test_${randomBytes(4).toString('hex')}`;
const databaseUrl = databaseUrlFor('postgresql://postgres@127.0.0.1:5432/postgres', `${namespace}_shop`);
const logger = createLogger({ name: 'outbox-test', level: 'silent' });
let prisma: ReturnType<typeof createPrisma>;
let bus: Bus;
const received: EventEnvelope[] = [];

beforeAll(async () => {
  await setupDatabase(databaseUrl);
  prisma = createPrisma(databaseUrl);
  bus = new Bus({ url: 'amqp://guest:guest@127.0.0.1:5672', namespace, logger });
  bus.consume({ queue: 'outbox-test', bindings: ['test.#'] }, async (event) => {
    received.push(event);
  });
  await bus.ready();
});
afterAll(async () => {
  await bus.connection.queueDelete({ queue: bus.queueName('outbox-test') }).catch(() => {});
  await bus.connection.exchangeDelete({ exchange: bus.exchange }).catch(() => {});
  await bus.close();
  await prisma.$disconnect();
  await dropDatabase(databaseUrl);
});

describe('transactional outbox', () => {
  it('publishes what committed while no relay ran (a crash between commit and publish loses nothing)', async () => {
    const ids = Array.from({ length: 25 }, (_, i) => outboxEvent('test.happened', { n: i }));
    // committed with the state change; the process "crashes" before any relay publishes
    await prisma.$transaction(async (tx) => {
      for (const row of ids) await tx.outboxEvent.create({ data: row });
    });
    expect(await prisma.outboxEvent.count({ where: { publishedAt: null } })).toBe(25);

    const relay = new OutboxRelay({ db: prisma, bus, logger, metrics: createMetrics('outbox-test') });
    await relay.flush();
    await relay.stop();
    await eventually(async () => (received.length >= 25 ? true : undefined));
    expect(received.map((e) => (e.data as { n: number }).n)).toEqual(ids.map((_, i) => i));
    expect(received.map((e) => e.id)).toEqual(ids.map((r) => r.id));
    expect(await prisma.outboxEvent.count({ where: { publishedAt: null } })).toBe(0);
  });

  it('rolls the event back with the change it announces', async () => {
    const row = outboxEvent('test.rolled-back', {});
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.outboxEvent.create({ data: row });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await prisma.outboxEvent.findUnique({ where: { id: row.id } })).toBeNull();
  });

  it('applies a redelivered event once (inbox)', async () => {
    const first = await prisma.$transaction((tx) => processNew(tx, ['event-1'], 'test-consumer'));
    const again = await prisma.$transaction((tx) => processNew(tx, ['event-1'], 'test-consumer'));
    const otherConsumer = await prisma.$transaction((tx) => processNew(tx, ['event-1'], 'another-consumer'));
    expect([first, again, otherConsumer].map((fresh) => fresh.has('event-1'))).toEqual([true, false, true]);
    // a batch with a redelivered event (and one delivered twice in it): only the new ones come back
    const batch = await prisma.$transaction((tx) => processNew(tx, ['event-1', 'event-2', 'event-3', 'event-2'], 'test-consumer'));
    expect([...batch].sort()).toEqual(['event-2', 'event-3']);
  });
});
