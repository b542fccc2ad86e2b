import { requireViewer, type Viewer } from '@fabline/shared/auth';
import { GraphQLError } from 'graphql';
import { internalError, type SubscriptionEngineOptions, SubscriptionHub } from './hub.ts';
import type { ConnectionBudget } from './limits.ts';
import { OrderStatusSubscriptions } from './orderStatus.ts';
import type { SubscriptionPlan } from './plan.ts';
import { QuoteReadySubscriptions } from './quoteReady.ts';
import { StaffFeedSubscriptions } from './staffFeed.ts';
import type { EventStream } from './stream.ts';

export type { SubscriptionEngineOptions } from './hub.ts';

/**
 * Starts subscriptions of the three kinds (orderStatus.ts, staffFeed.ts, quoteReady.ts) over the
 * fan-out they share (hub.ts): subscribers grouped per Redis channel, one federated resolution per
 * event and group of subscribers with the same operation and viewer, one order's events in order.
 */
export class SubscriptionEngine {
  private readonly orderStatus: OrderStatusSubscriptions;
  private readonly staffFeed: StaffFeedSubscriptions;
  private readonly quoteReady: QuoteReadySubscriptions;

  constructor(private readonly options: SubscriptionEngineOptions) {
    const hub = new SubscriptionHub(options);
    this.orderStatus = new OrderStatusSubscriptions(hub);
    this.staffFeed = new StaffFeedSubscriptions(hub);
    this.quoteReady = new QuoteReadySubscriptions(hub);
  }

  /** Authorizes and starts a subscription; errors are returned for the transport to report. */
  async start(plan: SubscriptionPlan, viewer: Viewer | null, budget: ConnectionBudget, requestId: string): Promise<EventStream | GraphQLError[]> {
    try {
      const me = requireViewer(viewer);
      switch (plan.field) {
        case 'orderStatusChanged':
          return await this.orderStatus.start(plan, me, budget, requestId);
        case 'orderEvents':
          return await this.staffFeed.start(plan, me, budget, requestId);
        case 'quoteReady':
          return await this.quoteReady.start(plan, me, budget, requestId);
        default: {
          const never: never = plan.field;
          throw new Error(`unknown subscription ${String(never)}`);
        }
      }
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      this.options.logger.error({ err: error, requestId }, 'subscription failed to start');
      return [internalError()];
    }
  }
}
