import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderReviewed } from '@fabline/shared/events';
import type { PrismaClient } from './db.ts';

/** An approved order joins the production queue; replaying the event changes nothing. */
export function startConsumers(bus: Bus, prisma: PrismaClient) {
  return [
    bus.consume({ queue: 'mes.order-approved', bindings: [EVENTS.orderApproved], prefetch: 20 }, async (event) => {
      const data = event.data as OrderReviewed;
      await prisma.productionOrder.upsert({ where: { orderId: data.orderId }, create: { orderId: data.orderId, customerId: data.customerId }, update: {} });
    }),
  ];
}
