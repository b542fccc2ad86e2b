import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderStatusMessage } from '../src/contracts/events.ts';
import { compareOrderEventCursors, isOrderEventCursor, ORDER_EVENT_LOG, publishOrderStatuses, readOrderEvents } from '../src/contracts/orderEventLog.ts';
import { createLogger } from '../src/platform/logger.ts';
import { createRedis, type Redis } from '../src/platform/redis.ts';

// Against the real Redis: the log a shop writes and a gateway replica reads, in a namespace of its own.
const namespace = `test_log_${randomUUID().slice(0, 8)}`;
const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const logger = createLogger({ name: 'test', level: 'silent' });
let redis: Redis;
let subscriber: Redis;

beforeAll(() => {
  redis = createRedis({ url, namespace, logger });
  subscriber = createRedis({ url, namespace, logger });
});
afterAll(async () => {
  await redis.del(ORDER_EVENT_LOG);
  redis.disconnect();
  subscriber.disconnect();
});

const change = (orderId: string, status: OrderStatusMessage['status'], eventId: string): OrderStatusMessage => ({
  orderId,
  customerId: 'c1',
  previousStatus: null,
  status,
  at: '2026-01-01T00:00:00.000Z',
  eventId,
});

describe('the order event log', () => {
  it('logs and publishes each status change with its cursor, and serves what came after a cursor', async () => {
    const heard: OrderStatusMessage[] = [];
    subscriber.on('pmessage', (_pattern: string, _channel: string, raw: string) => heard.push(JSON.parse(raw) as OrderStatusMessage));
    await subscriber.psubscribe(`${namespace}:order-status:*`);
    const changes = [change('o1', 'PLACED', '1'), change('o2', 'PLACED', '2'), change('o1', 'APPROVED', '3')];
    const cursors = await publishOrderStatuses(redis, namespace, changes, 1000);
    expect(cursors.every((c) => c !== null && isOrderEventCursor(c))).toBe(true);
    expect(compareOrderEventCursors(cursors[0] as string, cursors[1] as string)).toBeLessThan(0);
    await expect.poll(() => heard.length).toBe(3);
    expect(heard).toEqual(changes.map((c, i) => ({ ...c, cursor: cursors[i] })));

    expect(await readOrderEvents(redis, cursors[0] as string, 10)).toEqual(heard.slice(1));
    expect(await readOrderEvents(redis, cursors[0] as string, 1)).toEqual(heard.slice(1, 2));
    expect(await readOrderEvents(redis, cursors[2] as string, 10)).toEqual([]);
  });

  it('answers null for a cursor trimmed away or never made', async () => {
    const [first] = await publishOrderStatuses(redis, namespace, [change('o3', 'PLACED', '4')], 1000);
    await publishOrderStatuses(redis, namespace, [change('o3', 'APPROVED', '5')], 1000);
    await redis.xtrim(ORDER_EVENT_LOG, 'MAXLEN', 1);
    expect(await readOrderEvents(redis, first as string, 10)).toBeNull();
    expect(await readOrderEvents(redis, '1-0', 10)).toBeNull();
  });

  it('validates and orders cursors as Redis stream ids', () => {
    expect(isOrderEventCursor('1700000000000-0')).toBe(true);
    expect(isOrderEventCursor('42')).toBe(false);
    expect(isOrderEventCursor('1-18446744073709551616')).toBe(false);
    expect(compareOrderEventCursors('9-5', '10-0')).toBeLessThan(0);
    expect(compareOrderEventCursors('10-2', '10-10')).toBeLessThan(0);
    expect(compareOrderEventCursors('10-2', '10-2')).toBe(0);
  });
});
