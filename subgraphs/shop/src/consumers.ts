import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderReviewed, type ProductionStageChanged, statusForStage } from '@fabline/shared/events';
import { QUEUES } from '@fabline/shared/topology';
import type { ShopDeps } from './context.ts';
import { applyStatusChanges, type StatusChange } from './orders.ts';

/**
 * The customer-facing status follows review and production events. They are applied in batches,
 * one batch at a time and each in one transaction, in the order the broker delivered them (a single
 * channel delivers in queue order), so one order's history keeps its sequence; replays and stale
 * events change nothing.
 */
export function startConsumers(bus: Bus, deps: Pick<ShopDeps, 'prisma' | 'redis' | 'env'>) {
  return [
    bus.consumeBatch({ spec: QUEUES.shopOrderStatus, batchSize: deps.env.SHOP_STATUS_BATCH }, async (events) => {
      const changes = events.map((event): StatusChange => {
        if (event.type === EVENTS.productionStageChanged) {
          const data = event.data as ProductionStageChanged;
          return { orderId: data.orderId, status: statusForStage(data.stage), eventId: event.id, stage: data.stage };
        }
        const data = event.data as OrderReviewed;
        return { orderId: data.orderId, status: data.decision, eventId: event.id };
      });
      await applyStatusChanges(deps, changes);
    }),
  ];
}
