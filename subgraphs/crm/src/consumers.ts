import { consecutiveRuns } from '@fabline/shared/batcher';
import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderPlaced, type OrderReviewed } from '@fabline/shared/events';
import { type OutboxRelay, outboxEvent, processNew } from '@fabline/shared/outbox';
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
    bus.consumeBatch({ spec: QUEUES.crmOrderPlaced, batchSize: BATCH_SIZE }, async (events) => {
      const approved = await prisma.$transaction(
        async (tx) => {
          const fresh = await processNew(
            tx,
            events.map((e) => e.id),
            'crm.order-placed',
          );
          const outbox: ReturnType<typeof outboxEvent>[] = [];
          for (const run of consecutiveRuns(
            events.filter((e) => fresh.delete(e.id)),
            (e) => e.type,
          )) {
            const at = new Date();
            if (run.key === EVENTS.orderCancelled) {
              const orderIds = run.items.map((e) => (e.data as OrderCancelled).orderId);
              await tx.review.updateMany({ where: { orderId: { in: orderIds }, decision: 'PENDING' }, data: { decision: 'CANCELLED', decidedAt: at } });
              continue;
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
            if (!options.autoApprove) continue;
            for (const review of created) {
              const reviewed: OrderReviewed = {
                orderId: review.orderId,
                customerId: review.customerId,
                reviewerId: AUTO_REVIEWER,
                decision: 'APPROVED',
                reason: null,
                at: at.toISOString(),
              };
              outbox.push(outboxEvent(EVENTS.orderApproved, reviewed));
            }
          }
          if (outbox.length) await tx.outboxEvent.createMany({ data: outbox });
          return outbox.length > 0;
        },
        { maxWait: 10_000, timeout: 30_000 },
      );
      if (approved) options.outbox?.nudge();
    }),
  ];
}
