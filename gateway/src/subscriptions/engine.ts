import { requireViewer, type Viewer } from '@fabline/shared/auth';
import { type OrderStatusMessage, orderStatusChannel, type QuoteReadyMessage, quoteReadyChannel } from '@fabline/shared/events';
import type { Logger } from '@fabline/shared/logger';
import { isOrderEventCursor } from '@fabline/shared/orderEventLog';
import { channelName } from '@fabline/shared/redis';
import { type ExecutionResult, GraphQLError, type GraphQLFormattedError, type GraphQLSchema } from 'graphql';
import type { EventSource } from './eventSource.ts';
import { eventTime, isNew, prepareEvent, type Subscriber, secondsSince, sendEvent } from './fanout.ts';
import { FEED_PAGE, FEED_ROLES, inFeed, isAfterCursor, mayHear, type OrderEventKind, resumeWindowExpired } from './feeds.ts';
import { type ConnectionBudget, clientKey, type SubscriptionLimits } from './limits.ts';
import type { SubscriptionMetrics } from './metrics.ts';
import type { SubscriptionPlan } from './plan.ts';
import { type FederatedExecutor, type FederatedResult, type OrderEventFields, resolveEvent } from './resolveEvent.ts';
import { EventStream } from './stream.ts';

export interface SubscriptionEngineOptions {
  namespace: string;
  events: EventSource;
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

interface Hub {
  /** Subscribers by group key (viewer and operation), kept as they join and leave so an event need not sort them. */
  groups: Map<string, Set<Subscriber>>;
  ready: Promise<() => void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const EVENT_ID = /^\d{1,19}$/;
const userError = (code: string, message: string) => new GraphQLError(message, { extensions: { code } });
const fromFormatted = (e: GraphQLFormattedError) => new GraphQLError(e.message, { extensions: e.extensions });

const CHECK_ORDER = `query SubscriptionCheck($id: ID!, $after: ID, $replay: Boolean!) {
  order(id: $id) { customer { id } statusHistory(after: $after) @include(if: $replay) { id previousStatus status at } } }`;
const CHECK_QUOTE = 'query SubscriptionCheck($id: ID!) { quote(id: $id) { status } }';

/**
 * Subscribers grouped per Redis channel. For each event, subscribers with the same operation and
 * viewer share one federated resolution; events of one order are delivered in order.
 */
export class SubscriptionEngine {
  private readonly hubs = new Map<string, Hub>();
  private readonly chains = new Map<string, Promise<void>>();

  constructor(private readonly options: SubscriptionEngineOptions) {}

  /** Authorizes and starts a subscription; errors are returned for the transport to report. */
  async start(plan: SubscriptionPlan, viewer: Viewer | null, budget: ConnectionBudget, requestId: string): Promise<EventStream | GraphQLError[]> {
    try {
      const me = requireViewer(viewer);
      switch (plan.field) {
        case 'orderStatusChanged':
          return await this.startOrder(plan, me, budget, requestId);
        case 'orderEvents':
          return await this.startFeed(plan, me, budget, requestId);
        case 'quoteReady':
          return await this.startQuote(plan, me, budget, requestId);
        default: {
          const never: never = plan.field;
          throw new Error(`unknown subscription ${String(never)}`);
        }
      }
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      this.options.logger.error({ err: error, requestId }, 'subscription failed to start');
      return [userError('INTERNAL_SERVER_ERROR', 'Internal server error')];
    }
  }

  private newSubscriber(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string, accepts: Subscriber['accepts']) {
    const stream = new EventStream(budget, this.options.limits);
    const groupKey = `${clientKey(viewer)}\u0000${plan.key}`;
    const subscriber: Subscriber = { plan, viewer, requestId, stream, accepts, buffer: [], lastId: null, cursor: null, groupKey };
    const gauge = this.options.metrics.subscriptions.labels(plan.field);
    gauge.inc();
    stream.onEnd(() => gauge.dec());
    return subscriber;
  }

  private async startOrder(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string) {
    const orderId = String(plan.args.orderId ?? '');
    const after = plan.args.after == null ? null : String(plan.args.after);
    if (!UUID.test(orderId)) throw userError('BAD_USER_INPUT', `"${orderId}" is not an order id`);
    if (after !== null && !EVENT_ID.test(after)) throw userError('BAD_USER_INPUT', '`after` must be the `id` of an OrderStatusEvent you received');
    const subscriber = this.newSubscriber(plan, viewer, budget, requestId, (message) => message.orderId === orderId && mayHear(viewer, message));
    subscriber.lastId = after === null ? null : BigInt(after);
    // listen first, then read history: an event stored meanwhile is in the buffer or in the history, never in neither
    await this.join(channelName(this.options.namespace, orderStatusChannel(orderId)), subscriber, (raw) => this.onOrderMessage(raw, false));
    const check = await this.checkOrder(viewer, requestId, orderId, after);
    const order = check.data?.order as { customer: { id: string }; statusHistory?: Omit<OrderEventFields, 'orderId' | 'cursor'>[] } | null | undefined;
    if (check.errors?.length || !order) {
      void subscriber.stream.return();
      if (check.errors?.length) throw fromFormatted(check.errors[0] as GraphQLFormattedError);
      throw userError('NOT_FOUND', `Order ${orderId} not found`);
    }
    const history: OrderStatusMessage[] = (order.statusHistory ?? []).map((row) => ({
      orderId,
      customerId: order.customer.id,
      previousStatus: row.previousStatus as OrderStatusMessage['previousStatus'],
      status: row.status as OrderStatusMessage['status'],
      at: row.at,
      eventId: row.id,
    }));
    void this.catchUp(subscriber, history);
    return subscriber.stream;
  }

  private readonly checks = new Map<string, Promise<FederatedResult>>();

  /** Many tabs of one viewer subscribing to one order at once share one check. */
  private checkOrder(viewer: Viewer, requestId: string, orderId: string, after: string | null) {
    const run = () => this.options.federate(viewer, requestId)(CHECK_ORDER, { id: orderId, after, replay: after !== null });
    if (after !== null) return run();
    const key = `${clientKey(viewer)}\u0000${orderId}`;
    let pending = this.checks.get(key);
    if (!pending) {
      pending = run().finally(() => this.checks.delete(key));
      this.checks.set(key, pending);
    }
    return pending;
  }

  /** Replays missed events, then whatever arrived live meanwhile, skipping what was already sent. */
  private async catchUp(subscriber: Subscriber, history: OrderStatusMessage[]) {
    try {
      for (const message of history) await this.sendOne(subscriber, message);
      while (subscriber.buffer && subscriber.buffer.length > 0) {
        const next = subscriber.buffer.splice(0).sort((a, b) => (BigInt(a.eventId) < BigInt(b.eventId) ? -1 : 1));
        for (const message of next) await this.sendOne(subscriber, message);
      }
    } catch (error) {
      this.options.logger.error({ err: error, requestId: subscriber.requestId }, 'subscription replay failed');
      subscriber.stream.end(userError('INTERNAL_SERVER_ERROR', 'Internal server error'));
    }
    subscriber.buffer = null;
  }

  private async sendOne(subscriber: Subscriber, message: OrderStatusMessage) {
    if (subscriber.stream.done || !isNew(subscriber, message)) return;
    const result = await this.resolve(subscriber, message);
    if (!isNew(subscriber, message)) return;
    subscriber.lastId = BigInt(message.eventId);
    this.push(subscriber, result, message);
  }

  private async startFeed(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string) {
    const kind = plan.args.kind as OrderEventKind;
    const after = plan.args.after == null ? null : String(plan.args.after);
    const roles = FEED_ROLES[kind];
    if (!roles.includes(viewer.role)) throw userError('FORBIDDEN', `The ${kind} feed needs role ${roles.join(' or ')}; you are ${viewer.role}`);
    if (after !== null && !isOrderEventCursor(after)) throw userError('BAD_USER_INPUT', '`after` must be the `cursor` of an event this feed sent');
    const subscriber = this.newSubscriber(plan, viewer, budget, requestId, (message) => inFeed(kind, message) && mayHear(viewer, message));
    // the last log entry replayed: a live copy of it (or of anything before it) is not sent again
    subscriber.cursor = after;
    if (after === null) subscriber.buffer = null;
    await this.join(channelName(this.options.namespace, orderStatusChannel('*')), subscriber, (raw) => this.onOrderMessage(raw, true), true);
    if (after === null) return subscriber.stream;
    // listen first, then read the log: an event logged meanwhile is in the buffer or in the log, never in neither
    const missed = await this.options.events.readOrderEvents(after, FEED_PAGE).catch((error: unknown) => {
      void subscriber.stream.return();
      throw error;
    });
    if (missed === null) {
      void subscriber.stream.return();
      throw resumeWindowExpired(after);
    }
    void this.catchUpFeed(subscriber, missed);
    return subscriber.stream;
  }

  /** Replays the log page by page, then the live events buffered meanwhile (already in log order), each once. */
  private async catchUpFeed(subscriber: Subscriber, firstPage: OrderStatusMessage[]) {
    // not sendOne: it keeps `lastId`, which means nothing across orders
    const send = async (message: OrderStatusMessage, wanted: boolean) => {
      if (wanted && !subscriber.stream.done) this.push(subscriber, await this.resolve(subscriber, message), message);
      if (message.cursor && isAfterCursor(message, subscriber.cursor)) subscriber.cursor = message.cursor;
    };
    try {
      let page: OrderStatusMessage[] | null = firstPage;
      while (page && !subscriber.stream.done) {
        for (const message of page) await send(message, subscriber.accepts(message));
        if (page.length < FEED_PAGE || subscriber.cursor === null) break;
        page = await this.options.events.readOrderEvents(subscriber.cursor, FEED_PAGE);
        if (page === null) throw resumeWindowExpired(subscriber.cursor);
      }
      for (let live = subscriber.buffer?.splice(0) ?? []; live.length > 0; live = subscriber.buffer?.splice(0) ?? []) {
        for (const message of live) await send(message, isAfterCursor(message, subscriber.cursor));
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) this.options.logger.error({ err: error, requestId: subscriber.requestId }, 'feed replay failed');
      subscriber.stream.end(error instanceof GraphQLError ? error : userError('INTERNAL_SERVER_ERROR', 'Internal server error'));
    }
    subscriber.buffer = null;
  }

  private async startQuote(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string) {
    const quoteId = String(plan.args.quoteId ?? '');
    if (!UUID.test(quoteId)) throw userError('BAD_USER_INPUT', `"${quoteId}" is not a quote id`);
    const subscriber = this.newSubscriber(plan, viewer, budget, requestId, () => true);
    await this.join(channelName(this.options.namespace, quoteReadyChannel(quoteId)), subscriber, (raw) => this.onQuoteMessage(raw));
    const check = await this.options.federate(viewer, requestId)(CHECK_QUOTE, { id: quoteId });
    const quote = check.data?.quote as { status: string } | null | undefined;
    if (check.errors?.length || !quote) {
      void subscriber.stream.return();
      if (check.errors?.length) throw fromFormatted(check.errors[0] as GraphQLFormattedError);
      throw userError('NOT_FOUND', `Quote ${quoteId} not found`);
    }
    const buffered = subscriber.buffer?.length ?? 0;
    subscriber.buffer = null;
    // already priced (or priced while we checked): answer now instead of waiting for an event that came and went
    if (quote.status !== 'PENDING' || buffered > 0) void this.finishQuote([subscriber], quoteId);
    return subscriber.stream;
  }

  private async join(channel: string, subscriber: Subscriber, onMessage: (raw: string) => void, pattern = false) {
    let hub = this.hubs.get(channel);
    if (!hub) {
      const created: Hub = {
        groups: new Map(),
        ready: pattern ? this.options.events.listenPattern(channel, onMessage) : this.options.events.listen(channel, onMessage),
      };
      hub = created;
      this.hubs.set(channel, created);
      created.ready.catch(() => this.hubs.get(channel) === created && this.hubs.delete(channel));
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
      if (joined.groups.size > 0 || this.hubs.get(channel) !== joined) return;
      this.hubs.delete(channel);
      void joined.ready.then((unlisten) => unlisten()).catch(() => {});
    });
    await joined.ready;
  }

  private onOrderMessage(raw: string, feed: boolean) {
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
    const channel = channelName(this.options.namespace, orderStatusChannel(feed ? '*' : message.orderId));
    const hub = this.hubs.get(channel);
    if (!hub || hub.groups.size === 0) return;
    // who is subscribed when the event arrives; later subscribers find it in the history (or the log)
    const groups = Array.from(hub.groups.values(), (members) => [...members]);
    // resolved at once, whatever is still being sent before it; sent in order: one order's events in the
    // order they happened, a feed's in log order across orders, so the last cursor a client saw covers
    // everything before it
    const resolved = prepareEvent(message, groups, (subscriber) => this.resolve(subscriber, message));
    const { purged } = this.options;
    const prepared = purged ? Promise.all([resolved, purged(raw)]).then(([ready]) => ready) : resolved;
    // handled by the chain below once its turn comes; until then a failure must not count as unhandled
    prepared.catch(() => {});
    const key = feed ? 'feed' : `order:${message.orderId}`;
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous
      .then(() => prepared)
      .then((ready) => sendEvent(message, ready, this.options.metrics))
      .catch((err) => this.options.logger.error({ err }, 'event delivery failed'));
    this.chains.set(key, next);
    void next.then(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    });
  }

  private onQuoteMessage(raw: string) {
    let message: QuoteReadyMessage;
    try {
      message = JSON.parse(raw) as QuoteReadyMessage;
    } catch {
      return;
    }
    const hub = this.hubs.get(channelName(this.options.namespace, quoteReadyChannel(message.quoteId)));
    const subscribers = [...(hub?.groups.values() ?? [])].flatMap((members) => [...members]);
    for (const subscriber of subscribers) subscriber.buffer?.push({} as OrderStatusMessage);
    void this.finishQuote(
      subscribers.filter((s) => !s.buffer),
      message.quoteId,
      raw,
    );
  }

  private async finishQuote(subscribers: Subscriber[], quoteId: string, raw?: string) {
    const groups = new Map<string, Subscriber[]>();
    for (const s of subscribers) {
      if (s.stream.done) continue;
      groups.set(s.groupKey, [...(groups.get(s.groupKey) ?? []), s]);
    }
    await Promise.all(
      [...groups.values()].map(async (group) => {
        const first = group[0] as Subscriber;
        const [result] = await Promise.all([
          this.safely(first, () => resolveEvent(this.options.schema(), first.plan, quoteId, null, this.options.federate(first.viewer, first.requestId))),
          raw === undefined ? undefined : this.options.purged?.(raw),
        ]);
        for (const subscriber of group) {
          this.push(subscriber, result, null);
          subscriber.stream.end();
        }
      }),
    );
  }

  private resolve(subscriber: Subscriber, message: OrderStatusMessage) {
    const event: OrderEventFields = {
      id: message.eventId,
      orderId: message.orderId,
      previousStatus: message.previousStatus,
      status: message.status,
      at: message.at,
      // a per-order subscription resumes with `id`; its replayed events have no cursor, so none has
      cursor: subscriber.plan.field === 'orderEvents' ? (message.cursor ?? null) : null,
    };
    return this.safely(subscriber, () =>
      resolveEvent(this.options.schema(), subscriber.plan, message.orderId, event, this.options.federate(subscriber.viewer, subscriber.requestId)),
    );
  }

  private async safely(subscriber: Subscriber, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    this.options.metrics.resolutions.inc();
    try {
      return await run();
    } catch (error) {
      this.options.logger.error({ err: error, requestId: subscriber.requestId }, 'subscription payload failed');
      return { data: null, errors: [userError('INTERNAL_SERVER_ERROR', 'Internal server error')] };
    }
  }

  private push(subscriber: Subscriber, result: ExecutionResult, message: OrderStatusMessage | null) {
    if (!subscriber.stream.push(result)) return;
    this.options.metrics.delivered.labels(subscriber.plan.field).inc();
    if (message) this.options.metrics.latency.observe(secondsSince(eventTime(message)));
  }
}
