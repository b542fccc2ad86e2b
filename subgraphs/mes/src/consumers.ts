import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderReviewed } from '@fabline/shared/events';
import { processOnce } from '@fabline/shared/outbox';
import type { PrismaClient } from './db.ts';

/**
 * An approved order joins the production queue; a cancelled one leaves it if work has not
 * started. The inbox makes a redelivered event change nothing.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient) {
  return [
    bus.consume({ queue: 'mes.order-approved', bindings: [EVENTS.orderApproved, EVENTS.orderCancelled], prefetch: 20 }, async (event) => {
      await prisma.$transaction(async (tx) => {
        if (!(await processOnce(tx, event.id, 'mes.order-approved'))) return;
        if (event.type === EVENTS.orderCancelled) {
          const data = event.data as OrderCancelled;
          await tx.productionOrder.deleteMany({ where: { orderId: data.orderId, stage: 'QUEUED' } });
          return;
        }
        const data = event.data as OrderReviewed;
        await tx.productionOrder.upsert({ where: { orderId: data.orderId }, create: { orderId: data.orderId, customerId: data.customerId }, update: {} });
      });
    }),
  ];
}
