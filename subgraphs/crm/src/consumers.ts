import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderPlaced, type OrderReviewed } from '@fabline/shared/events';
import { applyNewEvents, type OutboxRelay, outboxEvent } from '@fabline/shared/outbox';
import { QUEUES } from '@fabline/shared/topology';
import type { PrismaClient } from './db.ts';

/** The reviewer id the automatic approver (CRM_AUTO_APPROVE, tests only) signs with. */
const AUTO_REVIEWER = '00000000-0000-4000-8000-00000000a001';

/** Events applied per transaction. */
const BATCH_SIZE = 100;

/**
 * order.placed opens a review; order.cancelled closes a pending one, so no manager approves an
 * order its customer withdrew. Events are applied in batches (one transaction each, in delivery
 * order); the inbox makes a redelivered event change nothing.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient, options: { autoApprove?: boolean; outbox?: OutboxRelay } = {}) {
  return [
    bus.consumeBatch({ spec: QUEUES.crmOrderPlaced, batchSize: BATCH_SIZE }, (events) =>
      applyNewEvents(
        prisma,
        'crm.order-placed',
        events,
        async (tx, run) => {
          const at = new Date();
          if (run.key === EVENTS.orderCancelled) {
            const orderIds = run.items.map((e) => (e.data as OrderCancelled).orderId);
            await tx.review.updateMany({ where: { orderId: { in: orderIds }, decision: 'PENDING' }, data: { decision: 'CANCELLED', decidedAt: at } });
            return;
          }
          const placed = run.items.map((e) => e.data as OrderPlaced);
          const created = await tx.review.createManyAndReturn({
            data: placed.map((data) => ({
              orderId: data.orderId,
              customerId: data.customerId,
              totalAmount: data.total.amount,
              currency: data.total.currency,
              placedAt: new Date(data.placedAt),
              ...(options.autoApprove && { decision: 'APPROVED' as const, decidedAt: at }),
            })),
            skipDuplicates: true,
            select: { orderId: true, customerId: true },
          });
          if (!options.autoApprove) return;
          return created.map((review) => {
            const reviewed: OrderReviewed = {
              orderId: review.orderId,
              customerId: review.customerId,
              reviewerId: AUTO_REVIEWER,
              decision: 'APPROVED',
              reason: null,
              at: at.toISOString(),
            };
            return outboxEvent(EVENTS.orderApproved, reviewed);
          });
        },
        options.outbox,
      ),
    ),
  ];
}
