import { setTimeout as sleep } from 'node:timers/promises';
import type { Bus } from '@fabline/shared/bus';
import { EVENTS, type OrderCancelled, type OrderReviewed, PRODUCTION_STAGES, type ProductionStage, type ProductionStageChanged } from '@fabline/shared/events';
import { type OutboxRelay, outboxEvent, processOnce } from '@fabline/shared/outbox';
import { QUEUES } from '@fabline/shared/topology';
import type { PrismaClient } from './db.ts';
import type { MesEnv } from './env.ts';

type ConsumerEnv = Pick<MesEnv, 'MES_ORDER_PREFETCH' | 'MES_ORDER_QUEUE_MAX_LENGTH' | 'MES_CONSUMER_DELAY_MS' | 'MES_AUTO_ADVANCE_TO'>;

/**
 * An approved order joins the production queue; a cancelled one leaves it if work has not
 * started. The inbox makes a redelivered event change nothing. The queue is bounded and the
 * prefetch is what the MES can work on at once: the rest waits in the broker, then in the CRM's outbox.
 */
export function startConsumers(bus: Bus, prisma: PrismaClient, env: ConsumerEnv, outbox?: OutboxRelay) {
  const spec = { ...QUEUES.mesOrderApproved, arguments: { ...QUEUES.mesOrderApproved.arguments, 'x-max-length': env.MES_ORDER_QUEUE_MAX_LENGTH } };
  return [
    bus.consume({ spec, prefetch: env.MES_ORDER_PREFETCH }, async (event) => {
      if (env.MES_CONSUMER_DELAY_MS) await sleep(env.MES_CONSUMER_DELAY_MS);
      const advanced = await prisma.$transaction(async (tx) => {
        if (!(await processOnce(tx, event.id, 'mes.order-approved'))) return false;
        if (event.type === EVENTS.orderCancelled) {
          const data = event.data as OrderCancelled;
          await tx.productionOrder.deleteMany({ where: { orderId: data.orderId, stage: 'QUEUED' } });
          return false;
        }
        const data = event.data as OrderReviewed;
        const target = env.MES_AUTO_ADVANCE_TO || 'QUEUED';
        const created = await tx.productionOrder.upsert({
          where: { orderId: data.orderId },
          create: { orderId: data.orderId, customerId: data.customerId, stage: target },
          update: {},
        });
        if (!env.MES_AUTO_ADVANCE_TO || created.stage !== target) return false;
        // the automatic operator (tests, benchmark) announces every stage it passed, as operators would
        const at = new Date().toISOString();
        const stages = PRODUCTION_STAGES.slice(0, PRODUCTION_STAGES.indexOf(target) + 1);
        let previousStage: ProductionStage = 'QUEUED';
        for (const stage of stages.slice(1)) {
          const changed: ProductionStageChanged = { orderId: data.orderId, stage, previousStage, operatorId: null, at };
          await tx.outboxEvent.create({ data: outboxEvent(EVENTS.productionStageChanged, changed) });
          previousStage = stage;
        }
        return true;
      });
      if (advanced) outbox?.nudge();
    }),
  ];
}
