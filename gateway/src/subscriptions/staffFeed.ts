import type { Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { type OrderStatusMessage, orderStatusChannel } from '@fabline/shared/events';
import { isOrderEventCursor } from '@fabline/shared/orderEventLog';
import { GraphQLError } from 'graphql';
import type { Subscriber } from './fanout.ts';
import { FEED_PAGE, FEED_ROLES, inFeed, isAfterCursor, mayHear, type OrderEventKind, resumeWindowExpired } from './feeds.ts';
import { internalError, type SubscriptionHub } from './hub.ts';
import type { ConnectionBudget } from './limits.ts';
import type { SubscriptionPlan } from './plan.ts';
import type { EventStream } from './stream.ts';

/**
 * `orderEvents(kind, after)`: a staff feed of every order's status changes (see feeds.ts), over
 * one pattern subscription. With `after` (the cursor of the last event received) it first replays
 * the order event log from there, then continues live, each event once and in log order.
 */
export class StaffFeedSubscriptions {
  constructor(private readonly hub: SubscriptionHub) {}

  async start(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string): Promise<EventStream> {
    const kind = plan.args.kind as OrderEventKind;
    const after = plan.args.after == null ? null : String(plan.args.after);
    const roles = FEED_ROLES[kind];
    if (!roles.includes(viewer.role)) throw userError('FORBIDDEN', `The ${kind} feed needs role ${roles.join(' or ')}; you are ${viewer.role}`);
    if (after !== null && !isOrderEventCursor(after)) throw userError('BAD_USER_INPUT', '`after` must be the `cursor` of an event this feed sent');
    const subscriber = this.hub.newSubscriber(plan, viewer, budget, requestId, (message) => inFeed(kind, message) && mayHear(viewer, message));
    // the last log entry replayed: a live copy of it (or of anything before it) is not sent again
    subscriber.cursor = after;
    if (after === null) subscriber.buffer = null;
    await this.hub.join(this.hub.channel(orderStatusChannel('*')), subscriber, (raw) => this.hub.onOrderMessage(raw, true), true);
    if (after === null) return subscriber.stream;
    // listen first, then read the log: an event logged meanwhile is in the buffer or in the log, never in neither
    const missed = await this.hub.options.events.readOrderEvents(after, FEED_PAGE).catch((error: unknown) => {
      void subscriber.stream.return();
      throw error;
    });
    if (missed === null) {
      void subscriber.stream.return();
      throw resumeWindowExpired(after);
    }
    void this.catchUp(subscriber, missed);
    return subscriber.stream;
  }

  /** Replays the log page by page, then the live events buffered meanwhile (already in log order), each once. */
  private async catchUp(subscriber: Subscriber, firstPage: OrderStatusMessage[]) {
    // not the order subscription's sendOne: it keeps `lastId`, which means nothing across orders
    const send = async (message: OrderStatusMessage, wanted: boolean) => {
      if (wanted && !subscriber.stream.done) this.hub.push(subscriber, await this.hub.resolve(subscriber, message), message);
      if (message.cursor && isAfterCursor(message, subscriber.cursor)) subscriber.cursor = message.cursor;
    };
    try {
      let page: OrderStatusMessage[] | null = firstPage;
      while (page && !subscriber.stream.done) {
        for (const message of page) await send(message, subscriber.accepts(message));
        if (page.length < FEED_PAGE || subscriber.cursor === null) break;
        page = await this.hub.options.events.readOrderEvents(subscriber.cursor, FEED_PAGE);
        if (page === null) throw resumeWindowExpired(subscriber.cursor);
      }
      for (let live = subscriber.buffer?.splice(0) ?? []; live.length > 0; live = subscriber.buffer?.splice(0) ?? []) {
        for (const message of live) await send(message, isAfterCursor(message, subscriber.cursor));
      }
    } catch (error) {
      if (!(error instanceof GraphQLError)) this.hub.options.logger.error({ err: error, requestId: subscriber.requestId }, 'feed replay failed');
      subscriber.stream.end(error instanceof GraphQLError ? error : internalError());
    }
    subscriber.buffer = null;
  }
}
