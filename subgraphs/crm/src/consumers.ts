import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderPlaced } from '@fabline/shared/events';
import { processOnce } from '@fabline/shared/outbox';
import type { PrismaClient } from './db.ts';

/**
 * order.placed opens a review; order.cancelled closes a pending one, so no manager approves an
 * order its customer withdrew. The inbox makes a redelivered event change nothing.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient) {
  return [
    bus.consume({ queue: 'crm.order-placed', bindings: [EVENTS.orderPlaced, EVENTS.orderCancelled], prefetch: 20 }, async (event) => {
      await prisma.$transaction(async (tx) => {
        if (!(await processOnce(tx, event.id, 'crm.order-placed'))) return;
        if (event.type === EVENTS.orderCancelled) {
          const { orderId } = event.data as OrderCancelled;
          await tx.review.updateMany({ where: { orderId, decision: 'PENDING' }, data: { decision: 'CANCELLED', decidedAt: new Date() } });
          return;
        }
        const data = event.data as OrderPlaced;
        await tx.review.upsert({
          where: { orderId: data.orderId },
          create: {
            orderId: data.orderId,
            customerId: data.customerId,
            totalAmount: data.total.amount,
            currency: data.total.currency,
            placedAt: new Date(data.placedAt),
          },
          update: {},
        });
      });
    }),
  ];
}
