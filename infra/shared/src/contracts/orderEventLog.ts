import { z } from 'zod';
import { channelName, type Redis } from '../platform/redis.ts';
import { type OrderStatusMessage, orderStatusChannel } from './events.ts';

/**
 * The order event log: every status change is appended to one capped Redis stream per namespace
 * and published in the same step, so the stream entry id is a cursor in publish order across all
 * orders. The staff feeds (`orderEvents`) resume from it; status-history ids cannot serve, since
 * across orders a lower id may commit after a higher one.
 */
export const ORDER_EVENT_LOG = 'order-events';

export const orderEventLogEnvShape = {
  /** Status changes the order event log keeps (trimmed approximately, oldest first): how far back a staff feed can resume. @default 100000 */
  ORDER_EVENT_LOG_MAX_LEN: z.coerce.number().int().positive().default(100_000),
};

// XADD and PUBLISH in one script: nothing runs between them, so every replica hears status changes
// in stream order, and the published message carries its entry id (spliced in as the last field of
// the JSON object, byte for byte what was stored otherwise)
const APPEND_AND_PUBLISH = `local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'm', ARGV[2])
redis.call('PUBLISH', ARGV[3], string.sub(ARGV[2], 1, -2) .. ',"cursor":"' .. id .. '"}')
return id`;
const APPEND_COMMAND = 'fablineAppendOrderEvent';
/** Clients the script is defined on. */
const scripted = new WeakSet<Redis>();

/**
 * Appends status changes to the log and publishes each on its order's channel, in one round trip.
 * Returns each message's cursor, or null where Redis refused it (a live event lost, as with a
 * failed PUBLISH; the status history still has it).
 */
export async function publishOrderStatuses(redis: Redis, namespace: string, messages: OrderStatusMessage[], maxLen: number): Promise<(string | null)[]> {
  if (messages.length === 0) return [];
  // EVALSHA after the first call (as the gateway's rate limiter): the script is not sent with every status change
  if (!scripted.has(redis)) {
    redis.defineCommand(APPEND_COMMAND, { numberOfKeys: 1, lua: APPEND_AND_PUBLISH });
    scripted.add(redis);
  }
  const pipeline = redis.pipeline() as unknown as Record<typeof APPEND_COMMAND, (...args: (string | number)[]) => unknown> & ReturnType<Redis['pipeline']>;
  for (const message of messages) {
    const { cursor: _ignored, ...stored } = message;
    pipeline[APPEND_COMMAND](ORDER_EVENT_LOG, maxLen, JSON.stringify(stored), channelName(namespace, orderStatusChannel(message.orderId)));
  }
  const results = (await pipeline.exec()) ?? [];
  return messages.map((_, i) => {
    const [error, id] = results[i] ?? [new Error('no reply')];
    return error ? null : String(id);
  });
}

/**
 * Up to `count` status changes logged after `after`, oldest first, each with its `cursor`; null when
 * `after` is no longer in the log (trimmed: events after it may be gone) or never was.
 */
export async function readOrderEvents(redis: Redis, after: string, count: number): Promise<OrderStatusMessage[] | null> {
  // read from `after` itself: while it is still there, nothing after it was trimmed (the log is only trimmed from its head)
  const entries = await redis.xrange(ORDER_EVENT_LOG, after, '+', 'COUNT', count + 1);
  if (entries[0]?.[0] !== after) return null;
  return entries.slice(1).map(([id, fields]) => ({ ...(JSON.parse(fields[fields.indexOf('m') + 1] ?? 'null') as OrderStatusMessage), cursor: id }));
}

const STREAM_ID = /^(\d{1,20})-(\d{1,20})$/;
const U64 = 2n ** 64n;

/** Whether `value` is a Redis stream entry id (`<ms>-<seq>`, both 64-bit). */
export function isOrderEventCursor(value: string): boolean {
  const match = STREAM_ID.exec(value);
  return match !== null && BigInt(match[1] as string) < U64 && BigInt(match[2] as string) < U64;
}

/** Orders two cursors as the log does: negative when `a` came first. */
export function compareOrderEventCursors(a: string, b: string): number {
  const [am = 0n, as = 0n] = a.split('-').map(BigInt);
  const [bm = 0n, bs = 0n] = b.split('-').map(BigInt);
  if (am !== bm) return am < bm ? -1 : 1;
  return as === bs ? 0 : as < bs ? -1 : 1;
}
