import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderPlaced } from '@fabline/shared/events';
import type { PrismaClient } from './db.ts';

/** order.placed opens a review; replaying the event changes nothing. */
export function startConsumers(bus: Bus, prisma: PrismaClient) {
  return [
    bus.consume({ queue: 'crm.order-placed', bindings: [EVENTS.orderPlaced], prefetch: 20 }, async (event) => {
      const data = event.data as OrderPlaced;
      await prisma.review.upsert({
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
    }),
  ];
}
