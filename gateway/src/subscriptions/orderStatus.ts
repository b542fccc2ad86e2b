import type { Viewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { isStatusChange, type OrderStatusMessage, orderStatusChannel } from '@fabline/shared/events';
import { assertId } from '@fabline/shared/ids';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { isNew, type Subscriber } from './fanout.ts';
import { mayHear } from './feeds.ts';
import { EVENT_ID, internalError, type SubscriptionHub } from './hub.ts';
import { type ConnectionBudget, clientKey } from './limits.ts';
import type { SubscriptionPlan } from './plan.ts';
import type { FederatedResult, OrderEventFields } from './resolveEvent.ts';
import type { EventStream } from './stream.ts';

const CHECK_ORDER = `query SubscriptionCheck($id: ID!, $after: ID, $replay: Boolean!) {
  order(id: $id) { customer { id } statusHistory(after: $after) @include(if: $replay) { id previousStatus status at } } }`;

/** A subgraph's error (already a client's error) as the subscription's answer. */
export const fromFormatted = (e: GraphQLFormattedError) => new GraphQLError(e.message, { extensions: e.extensions });

/**
 * `orderStatusChanged(orderId, after)`: one order's status changes, for its customer and staff.
 * With `after` (the id of the last event received) it first replays what was missed, from the
 * order's history, then continues live, each event once and in order.
 */
export class OrderStatusSubscriptions {
  /** Many tabs of one viewer subscribing to one order at once share one check. */
  private readonly checks = new Map<string, Promise<FederatedResult>>();

  constructor(private readonly hub: SubscriptionHub) {}

  async start(plan: SubscriptionPlan, viewer: Viewer, budget: ConnectionBudget, requestId: string): Promise<EventStream> {
    const orderId = String(plan.args.orderId ?? '');
    const after = plan.args.after == null ? null : String(plan.args.after);
    assertId(orderId, 'order');
    if (after !== null && !EVENT_ID.test(after)) throw userError('BAD_USER_INPUT', '`after` must be the `id` of an OrderStatusEvent you received');
    // a production move that leaves the status as it was is for the staff feeds only
    const subscriber = this.hub.newSubscriber(
      plan,
      viewer,
      budget,
      requestId,
      (message) => message.orderId === orderId && isStatusChange(message) && mayHear(viewer, message),
    );
    subscriber.lastId = after === null ? null : BigInt(after);
    // listen first, then read history: an event stored meanwhile is in the buffer or in the history, never in neither
    await this.hub.join(this.hub.channel(orderStatusChannel(orderId)), subscriber, (raw) => this.hub.onOrderMessage(raw, false));
    const check = await this.check(viewer, requestId, orderId, after);
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

  private check(viewer: Viewer, requestId: string, orderId: string, after: string | null) {
    const run = () => this.hub.federate({ viewer, requestId })(CHECK_ORDER, { id: orderId, after, replay: after !== null });
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
      this.hub.options.logger.error({ err: error, requestId: subscriber.requestId }, 'subscription replay failed');
      subscriber.stream.end(internalError());
    }
    subscriber.buffer = null;
  }

  private async sendOne(subscriber: Subscriber, message: OrderStatusMessage) {
    if (subscriber.stream.done || !isNew(subscriber, message)) return;
    const result = await this.hub.resolve(subscriber, message);
    if (!isNew(subscriber, message)) return;
    subscriber.lastId = BigInt(message.eventId);
    this.hub.push(subscriber, result, message);
  }
}
