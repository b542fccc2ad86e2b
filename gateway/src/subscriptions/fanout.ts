import type { Viewer } from '@fabline/shared/auth';
import type { OrderStatusMessage } from '@fabline/shared/events';
import type { ExecutionResult } from 'graphql';
import { isAfterCursor } from './feeds.ts';
import type { SubscriptionMetrics } from './metrics.ts';
import type { SubscriptionPlan } from './plan.ts';
import { type EventStream, SharedPayload } from './stream.ts';

export interface Subscriber {
  plan: SubscriptionPlan;
  viewer: Viewer;
  requestId: string;
  stream: EventStream;
  accepts: (message: OrderStatusMessage) => boolean;
  /** Live events held while history is replayed; null once live. */
  buffer: OrderStatusMessage[] | null;
  /**
   * Last event id sent: nothing at or below it is sent again. Only for one order's subscription,
   * whose events are ordered by id; a feed keeps it null and orders its events by log cursor instead
   * (see startFeed).
   */
  lastId: bigint | null;
  /** A feed's last log cursor sent or replayed: nothing at or before it is sent again. */
  cursor: string | null;
  /** Subscribers with the same key (viewer and operation) share one resolution and one payload per event. */
  groupKey: string;
}

/** Subscribers written to between two yields to the event loop during one event's fan-out. */
const FANOUT_SLICE = 2000;
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/** When a status change happened (ms since the epoch), or null when the message's time is unreadable. */
export function eventTime(message: Pick<OrderStatusMessage, 'at'>): number | null {
  const at = Date.parse(message.at);
  return Number.isFinite(at) ? at : null;
}

/** Seconds from `at` (see eventTime) to now, for the delivery histogram; 0 when it is unknown. */
export const secondsSince = (at: number | null) => (at === null ? 0 : Math.max(0, Date.now() - at) / 1000);

/** Whether a subscriber has not had this event yet (by order event id, or by log cursor for a feed). */
export function isNew(subscriber: Subscriber, message: OrderStatusMessage, id = BigInt(message.eventId)) {
  return (subscriber.lastId === null || id > subscriber.lastId) && isAfterCursor(message, subscriber.cursor);
}

export type PreparedEvent = { group: Subscriber[]; result: ExecutionResult }[];

/**
 * Buffers an event for the subscribers still replaying and starts one resolution per group of
 * subscribers (same viewer, same operation) that takes it. Each live subscriber's connection
 * counts the event as pending from now until it is sent (`held`, see `releaseHeld`): an order's
 * events wait for the ones before them, and what waits is bounded by each client's budget.
 */
export function prepareEvent(
  message: OrderStatusMessage,
  groups: Subscriber[][],
  resolve: (first: Subscriber) => Promise<ExecutionResult>,
): { held: Set<Subscriber>; ready: Promise<PreparedEvent> } {
  const id = BigInt(message.eventId);
  const live: Subscriber[][] = [];
  const held = new Set<Subscriber>();
  for (const group of groups) {
    // a group shares viewer and operation, and `accepts` depends on nothing else: one answer for all
    if (!(group[0] as Subscriber).accepts(message)) continue;
    let anyLive = false;
    for (const subscriber of group) {
      if (subscriber.stream.done) continue;
      // still replaying history: it takes this event in order after the replay
      if (subscriber.buffer) subscriber.buffer.push(message);
      // a client already this far behind is cut off here, and not waited for
      else if (isNew(subscriber, message, id) && subscriber.stream.hold()) {
        held.add(subscriber);
        anyLive = true;
      }
    }
    if (anyLive) live.push(group);
  }
  return { held, ready: Promise.all(live.map(async (group) => ({ group, result: await resolve(group[0] as Subscriber) }))) };
}

/** Gives back what `prepareEvent` counted for the subscribers the event was not sent to. */
export function releaseHeld(held: Set<Subscriber>) {
  for (const subscriber of held) subscriber.stream.release();
  held.clear();
}

/** Writes a prepared event to every subscriber that has not had it, one payload per group. */
export async function sendEvent(message: OrderStatusMessage, ready: PreparedEvent, metrics: SubscriptionMetrics, held = new Set<Subscriber>()) {
  const id = BigInt(message.eventId);
  const at = eventTime(message);
  for (const { group, result } of ready) {
    const shared = new SharedPayload(result);
    let delivered = 0;
    for (let i = 0; i < group.length; i++) {
      // a long fan-out yields now and then, so Redis, timers and other sockets are not starved
      if (i > 0 && i % FANOUT_SLICE === 0) await yieldToEventLoop();
      const subscriber = group[i] as Subscriber;
      if (held.delete(subscriber)) subscriber.stream.release();
      if (subscriber.buffer || !isNew(subscriber, message, id)) continue;
      if (subscriber.plan.field === 'orderStatusChanged') subscriber.lastId = id;
      else if (message.cursor !== undefined) subscriber.cursor = message.cursor;
      if (!subscriber.stream.push(result, shared)) continue;
      delivered++;
      metrics.latency.observe(secondsSince(at));
    }
    if (delivered > 0) metrics.delivered.labels((group[0] as Subscriber).plan.field).inc(delivered);
  }
}
