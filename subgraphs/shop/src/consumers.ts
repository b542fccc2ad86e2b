import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderReviewed, type ProductionStageChanged, statusForStage } from '@fabline/shared/events';
import { QUEUES } from '@fabline/shared/topology';
import type { ShopDeps } from './context.ts';
import { applyStatus } from './orders.ts';

/**
 * Runs tasks with the same key one after another, in the order they were given; tasks with other
 * keys run alongside. Each returned promise settles with its own task.
 */
export function keyedSerial() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const tail = run.catch(() => undefined);
    tails.set(key, tail);
    // the map holds only orders with work in flight
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

/**
 * The customer-facing status follows review and production events. The prefetch lets the shop
 * apply many orders' events at once, but one order's events apply one after another in the order
 * the broker delivered them (a single channel delivers in queue order), so its history keeps its
 * sequence; `applyStatus` ignores replays and stale events.
 */
export function startConsumers(bus: Bus, deps: Pick<ShopDeps, 'prisma' | 'redis' | 'env'>) {
  const inOrder = keyedSerial();
  return [
    bus.consume({ spec: QUEUES.shopOrderStatus, prefetch: deps.env.SHOP_STATUS_PREFETCH }, async (event) => {
      if (event.type === EVENTS.productionStageChanged) {
        const data = event.data as ProductionStageChanged;
        await inOrder(data.orderId, () => applyStatus(deps, data.orderId, statusForStage(data.stage), event.id));
      } else {
        const data = event.data as OrderReviewed;
        await inOrder(data.orderId, () => applyStatus(deps, data.orderId, data.decision, event.id));
      }
    }),
  ];
}
