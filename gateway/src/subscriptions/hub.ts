import type { Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { OrderStatusMessage } from '@fabline/shared/events';
import { orderStatusChannel } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import { channelName } from '@fabline/shared/redis';
import type { ExecutionResult, GraphQLSchema } from 'graphql';
import type { EventSource } from '../eventSource.ts';
import { eventTime, prepareEvent, releaseHeld, type Subscriber, secondsSince, sendEvent } from './fanout.ts';
import { type ConnectionBudget, clientKey, type SubscriptionLimits } from './limits.ts';
import type { SubscriptionMetrics } from './metrics.ts';
import type { SubscriptionPlan } from './plan.ts';
import { type FederatedExecutor, type OrderEventFields, resolveEvent } from './resolveEvent.ts';
import { EventStream } from './stream.ts';

export interface SubscriptionEngineOptions {
  namespace: string;
  events: Pick<EventSource, 'listen' | 'listenPattern' | 'readOrderEvents'>;
  /** The gateway's API schema (loaded after the gateway starts). */
  schema: () => GraphQLSchema;
  /** A federated executor acting as `viewer`. */
  federate: (viewer: Viewer, requestId: string) => FederatedExecutor;
  limits: SubscriptionLimits;
  metrics: SubscriptionMetrics;
  logger: Logger;
  /**
   * Resolves once the response cache holds nothing a message (as published) made stale, on any
   * replica: an event is sent only then, so a client that sees the new status pushed and then reads
   * it never gets the old one from the cache. Awaited beside the event's resolution, which is longer.
   */
  purged?: (raw: string) => Promise<void>;
}

/** Subscribers of one Redis channel (or pattern). */
interface Channel {
  /** Subscribers by group key (viewer and operation), kept as they join and leave so an event need not sort them. */
  groups: Map<string, Set<Subscriber>>;
  ready: Promise<() => void>;
}

/** An order event's id as published: digits of a bigint. */
export const EVENT_ID = /^\d{1,19}$/;

export const internalError = () => userError('INTERNAL_SERVER_ERROR', 'Internal server error');

/**
 * What every kind of subscription shares: subscribers grouped per Redis channel (one Redis
 * subscription per channel however many subscribers), one federated resolution per group of
 * subscribers with the same operation and viewer, and order status events delivered in order.
 */
export class SubscriptionHub {
  private readonly channels = new Map<string, Channel>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(readonly options: SubscriptionEngineOptions) {}

  /** The namespaced Redis channel of `name`. */
  channel(name: string) {
    return channelName(this.options.namespace, name);
  }

  newSubscriber(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string, accepts: Subscriber['accepts']) {
    const stream = new EventStream(budget, this.options.limits);
    const groupKey = `${clientKey(viewer)}\u0000${plan.key}`;
    const subscriber: Subscriber = { plan, viewer, requestId, stream, accepts, buffer: [], lastId: null, cursor: null, groupKey };
    const gauge = this.options.metrics.subscriptions.labels(plan.field);
    gauge.inc();
    stream.onEnd(() => gauge.dec());
    return subscriber;
  }

  /** Adds a subscriber to a channel, subscribing to it first if it is new; resolves once Redis confirmed. */
  async join(channel: string, subscriber: Subscriber, onMessage: (raw: string) => void, pattern = false) {
    let hub = this.channels.get(channel);
    if (!hub) {
      const created: Channel = {
        groups: new Map(),
        ready: pattern ? this.options.events.listenPattern(channel, onMessage) : this.options.events.listen(channel, onMessage),
      };
      hub = created;
      this.channels.set(channel, created);
      created.ready.catch(() => this.channels.get(channel) === created && this.channels.delete(channel));
    }
    const joined = hub;
    let group = joined.groups.get(subscriber.groupKey);
    if (!group) {
      group = new Set();
      joined.groups.set(subscriber.groupKey, group);
    }
    group.add(subscriber);
    subscriber.stream.onEnd(() => {
      const members = joined.groups.get(subscriber.groupKey);
      if (members?.delete(subscriber) && members.size === 0) joined.groups.delete(subscriber.groupKey);
      if (joined.groups.size > 0 || this.channels.get(channel) !== joined) return;
      this.channels.delete(channel);
      void joined.ready.then((unlisten) => unlisten()).catch(() => {});
    });
    await joined.ready;
  }

  /** The groups subscribed to a channel now (copies: later joins do not change them). */
  groupsOf(channel: string): Subscriber[][] {
    const hub = this.channels.get(channel);
    return hub ? Array.from(hub.groups.values(), (members) => [...members]) : [];
  }

  /** An order status message, for one order's subscribers or (`feed`) the staff feeds'. */
  onOrderMessage(raw: string, feed: boolean) {
    let message: OrderStatusMessage;
    try {
      message = JSON.parse(raw) as OrderStatusMessage;
    } catch {
      return;
    }
    // what is not a status change is dropped here: this runs in Redis's message handler
    if (typeof message?.orderId !== 'string' || !EVENT_ID.test(String(message.eventId))) {
      this.options.logger.warn({ channel: feed ? 'feed' : message?.orderId }, 'order status message without an order or event id dropped');
      return;
    }
    // who is subscribed when the event arrives; later subscribers find it in the history (or the log)
    const groups = this.groupsOf(this.channel(orderStatusChannel(feed ? '*' : message.orderId)));
    if (groups.length === 0) return;
    // resolved at once, whatever is still being sent before it; sent in order: one order's events in the
    // order they happened, a feed's in log order across orders, so the last cursor a client saw covers
    // everything before it
    const { held, ready: resolved } = prepareEvent(message, groups, (subscriber) => this.resolve(subscriber, message));
    const { purged } = this.options;
    const prepared = purged ? Promise.all([resolved, purged(raw)]).then(([ready]) => ready) : resolved;
    // handled by the chain below once its turn comes; until then a failure must not count as unhandled
    prepared.catch(() => {});
    const key = feed ? 'feed' : `order:${message.orderId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => prepared)
      .then((ready) => sendEvent(message, ready, this.options.metrics, held))
      .catch((err) => this.options.logger.error({ err }, 'event delivery failed'))
      .finally(() => releaseHeld(held));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  /** The payload of an order status event for a subscriber (and its group). */
  resolve(subscriber: Subscriber, message: OrderStatusMessage) {
    const event: OrderEventFields = {
      id: message.eventId,
      orderId: message.orderId,
      previousStatus: message.previousStatus,
      status: message.status,
      at: message.at,
      // a per-order subscription resumes with `id`; its replayed events have no cursor, so none has
      cursor: subscriber.plan.field === 'orderEvents' ? (message.cursor ?? null) : null,
    };
    return this.safely(subscriber, () => resolveEvent(this.options.schema(), subscriber.plan, message.orderId, event, this.federate(subscriber)));
  }

  federate(subscriber: Pick<Subscriber, 'viewer' | 'requestId'>) {
    return this.options.federate(subscriber.viewer, subscriber.requestId);
  }

  /** Runs a resolution; a failure is logged and the subscriber gets an internal error as its payload. */
  async safely(subscriber: Subscriber, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    this.options.metrics.resolutions.inc();
    try {
      return await run();
    } catch (error) {
      this.options.logger.error({ err: error, requestId: subscriber.requestId }, 'subscription payload failed');
      return { data: null, errors: [internalError()] };
    }
  }

  push(subscriber: Subscriber, result: ExecutionResult, message: OrderStatusMessage | null) {
    if (!subscriber.stream.push(result)) return;
    this.options.metrics.delivered.labels(subscriber.plan.field).inc();
    if (message) this.options.metrics.latency.observe(secondsSince(eventTime(message)));
  }
}
