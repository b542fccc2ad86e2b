import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderReviewed, PRODUCTION_STAGES, type ProductionStage, type ProductionStageChanged } from '@fabline/shared/events';
import { applyNewEvents, type OutboxRelay, outboxEvent } from '@fabline/shared/outbox';
import { QUEUES } from '@fabline/shared/topology';
import type { PrismaClient } from './db.ts';
import type { MesEnv } from './env.ts';

type ConsumerEnv = Pick<MesEnv, 'MES_ORDER_PREFETCH' | 'MES_ORDER_QUEUE_MAX_LENGTH' | 'MES_CONSUMER_DELAY_MS' | 'MES_AUTO_ADVANCE_TO'>;

/** The stage events the automatic operator (tests, benchmark) announces, as operators would: one per stage passed. */
function autoAdvanceEvents(orderId: string, target: ProductionStage, at: string) {
  const events: ReturnType<typeof outboxEvent>[] = [];
  let previousStage: ProductionStage = 'QUEUED';
  for (const stage of PRODUCTION_STAGES.slice(1, PRODUCTION_STAGES.indexOf(target) + 1)) {
    const changed: ProductionStageChanged = { orderId, stage, previousStage, operatorId: null, at };
    events.push(outboxEvent(EVENTS.productionStageChanged, changed));
    previousStage = stage;
  }
  return events;
}

/**
 * An approved order joins the production queue; a cancelled one leaves it if work has not
 * started. The inbox makes a redelivered event change nothing. The queue is bounded and the
 * prefetch is what the MES holds at once: the rest waits in the broker, then in the CRM's outbox.
 * Events are applied in batches of half the prefetch, one transaction each, in delivery order.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient, env: ConsumerEnv, outbox?: OutboxRelay) {
  const spec = { ...QUEUES.mesOrderApproved, arguments: { ...QUEUES.mesOrderApproved.arguments, 'x-max-length': env.MES_ORDER_QUEUE_MAX_LENGTH } };
  const batchSize = Math.ceil(env.MES_ORDER_PREFETCH / 2);
  return [
    bus.consumeBatch({ spec, prefetch: env.MES_ORDER_PREFETCH, batchSize }, async (events) => {
      if (env.MES_CONSUMER_DELAY_MS) await sleep(env.MES_CONSUMER_DELAY_MS * events.length);
      await applyNewEvents(
        prisma,
        'mes.order-approved',
        events,
        async (tx, run) => {
          if (run.key === EVENTS.orderCancelled) {
            const orderIds = run.items.map((e) => (e.data as OrderCancelled).orderId);
            await tx.productionOrder.deleteMany({ where: { orderId: { in: orderIds }, stage: 'QUEUED' } });
            return;
          }
          const target = env.MES_AUTO_ADVANCE_TO || 'QUEUED';
          const created = await tx.productionOrder.createManyAndReturn({
            data: run.items.map((e) => {
              const data = e.data as OrderReviewed;
              return { orderId: data.orderId, customerId: data.customerId, stage: target };
            }),
            skipDuplicates: true,
            select: { orderId: true },
          });
          if (!env.MES_AUTO_ADVANCE_TO) return;
          const at = new Date().toISOString();
          return created.flatMap(({ orderId }) => autoAdvanceEvents(orderId, target, at));
        },
        outbox,
      );
    }),
  ];
}
