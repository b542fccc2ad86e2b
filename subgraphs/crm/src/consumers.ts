import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderPlaced, type OrderReviewed } from '@fabline/shared/events';
import { type OutboxRelay, outboxEvent, processOnce } from '@fabline/shared/outbox';
import { QUEUES } from '@fabline/shared/topology';
import type { PrismaClient } from './db.ts';

/** The reviewer id the automatic approver (CRM_AUTO_APPROVE, tests only) signs with. */
const AUTO_REVIEWER = '00000000-0000-4000-8000-00000000a001';

/**
 * order.placed opens a review; order.cancelled closes a pending one, so no manager approves an
 * order its customer withdrew. The inbox makes a redelivered event change nothing.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient, options: { autoApprove?: boolean; outbox?: OutboxRelay } = {}) {
  return [
    bus.consume({ spec: QUEUES.crmOrderPlaced, prefetch: 20 }, async (event) => {
      const approved = await prisma.$transaction(async (tx) => {
        if (!(await processOnce(tx, event.id, 'crm.order-placed'))) return false;
        if (event.type === EVENTS.orderCancelled) {
          const { orderId } = event.data as OrderCancelled;
          await tx.review.updateMany({ where: { orderId, decision: 'PENDING' }, data: { decision: 'CANCELLED', decidedAt: new Date() } });
          return false;
        }
        const data = event.data as OrderPlaced;
        const at = new Date();
        await tx.review.upsert({
          where: { orderId: data.orderId },
          create: {
            orderId: data.orderId,
            customerId: data.customerId,
            totalAmount: data.total.amount,
            currency: data.total.currency,
            placedAt: new Date(data.placedAt),
            ...(options.autoApprove && { decision: 'APPROVED', decidedAt: at }),
          },
          update: {},
        });
        if (!options.autoApprove) return false;
        const reviewed: OrderReviewed = {
          orderId: data.orderId,
          customerId: data.customerId,
          reviewerId: AUTO_REVIEWER,
          decision: 'APPROVED',
          reason: null,
          at: at.toISOString(),
        };
        await tx.outboxEvent.create({ data: outboxEvent(EVENTS.orderApproved, reviewed) });
        return true;
      });
      if (approved) options.outbox?.nudge();
    }),
  ];
}
