import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderReviewed, type ProductionStageChanged, statusForStage } from '@fabline/shared/events';
import { QUEUES } from '@fabline/shared/topology';
import type { ShopDeps } from './context.ts';
import { applyStatus } from './orders.ts';

/**
 * The customer-facing status follows review and production events. Prefetch 1 keeps one
 * order's events in sequence; `applyStatus` ignores replays and stale events.
 */
export function startConsumers(bus: Bus, deps: Pick<ShopDeps, 'prisma' | 'redis' | 'env'>) {
  return [
    bus.consume({ spec: QUEUES.shopOrderStatus, prefetch: 1 }, async (event) => {
      if (event.type === EVENTS.productionStageChanged) {
        const data = event.data as ProductionStageChanged;
        await applyStatus(deps, data.orderId, statusForStage(data.stage), event.id);
      } else {
        const data = event.data as OrderReviewed;
        await applyStatus(deps, data.orderId, data.decision, event.id);
      }
    }),
  ];
}
