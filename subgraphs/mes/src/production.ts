import { requireViewer } from '@fabline/shared/auth';
import { assertFirst, decodeCursor, pageOf } from '@fabline/shared/connections';
import { userError } from '@fabline/shared/errors';
import {
  EVENTS,
  type OrderStatusMessage,
  orderStatusChannel,
  PRODUCTION_STAGES,
  type ProductionStage,
  type ProductionStageChanged,
  statusForStage,
} from '@fabline/shared/events';
import { assertId } from '@fabline/shared/ids';
import { outboxEvent } from '@fabline/shared/outbox';
import { channelName } from '@fabline/shared/redis';
import { z } from 'zod';
import type { MesContext } from './context.ts';
import type { Prisma } from './generated/prisma/client.ts';

/** Most jobs one page of `productionQueue` holds. */
export const QUEUE_PAGE_MAX = 200;
const queueCursor = z.tuple([z.iso.datetime(), z.uuid()]);

/**
 * The active production orders, oldest queued first, a page at a time: keyset pagination over
 * (queuedAt, orderId), which a stage move does not change, so paging while others work repeats and
 * skips nothing (a job shipped meanwhile leaves, one approved meanwhile joins at the end).
 */
export async function productionQueue(ctx: MesContext, stage: ProductionStage | null, first: number, after: string | null | undefined) {
  requireViewer(ctx.viewer, ['OPERATOR', 'MANAGER', 'ADMIN']);
  assertFirst(first, QUEUE_PAGE_MAX);
  const key = decodeCursor(after, queueCursor);
  const where: Prisma.ProductionOrderWhereInput = stage ? { stage } : {};
  const beyond: Prisma.ProductionOrderWhereInput = key
    ? { OR: [{ queuedAt: { gt: new Date(key[0]) } }, { queuedAt: new Date(key[0]), orderId: { gt: key[1] } }] }
    : {};
  const rows = await ctx.prisma.productionOrder.findMany({
    where: { AND: [where, beyond] },
    orderBy: [{ queuedAt: 'asc' }, { orderId: 'asc' }],
    take: first + 1,
  });
  for (const row of rows.slice(0, first)) ctx.loaders.production.prime(row.orderId, row);
  return {
    ...pageOf(
      rows,
      first,
      (row) => [row.queuedAt.toISOString(), row.orderId],
      (row) => ({ id: row.orderId }),
    ),
    totalCount: () => ctx.prisma.productionOrder.count({ where }),
  };
}

export type ProductionQueuePage = Awaited<ReturnType<typeof productionQueue>>;

/**
 * A printer shows PRINTING while a job of its queue is printing and IDLE once none is; a printer in
 * MAINTENANCE stays so until someone changes it.
 */
async function followPrinterStatus(tx: Prisma.TransactionClient, printerId: string, from: ProductionStage, to: ProductionStage) {
  if (to === 'PRINTING') {
    await tx.printer.updateMany({ where: { id: printerId, status: 'IDLE' }, data: { status: 'PRINTING' } });
  } else if (from === 'PRINTING') {
    await tx.printer.updateMany({
      where: { id: printerId, status: 'PRINTING', jobs: { none: { stage: 'PRINTING' } } },
      data: { status: 'IDLE' },
    });
  }
}

/**
 * Moves an order one stage forward, publishes the change and waits (bounded) until the
 * shop shows the matching customer status, so the answer already carries it.
 */
export async function advanceProduction(ctx: MesContext, orderId: string, stage: ProductionStage) {
  const me = requireViewer(ctx.viewer, ['OPERATOR', 'ADMIN']);
  assertId(orderId, 'order');
  if (stage === 'QUEUED') throw userError('BAD_USER_INPUT', 'QUEUED is where production starts; advance to PRINTING or later');
  const current = await ctx.prisma.productionOrder.findUnique({ where: { orderId } });
  if (!current) {
    // whatever move a board asks of a shipped order, someone else made the last one
    if (await ctx.prisma.archivedProductionOrder.findUnique({ where: { orderId } }))
      throw userError('CONFLICT', `Order ${orderId} is already SHIPPED; reload`, { currentStage: 'SHIPPED' });
    throw userError('NOT_FOUND', `Order ${orderId} is not in production (not approved yet, or unknown)`);
  }
  const at = PRODUCTION_STAGES.indexOf(current.stage);
  const wanted = PRODUCTION_STAGES.indexOf(stage);
  // a stage already reached is a stale board's move, made by someone else first; a skipped one is a mistake
  if (wanted <= at)
    throw userError('CONFLICT', `Order ${orderId} is already ${current.stage}; someone else moved it, reload and try again`, { currentStage: current.stage });
  if (wanted > at + 1)
    throw userError('BAD_USER_INPUT', `Order ${orderId} is ${current.stage}; the next stage is ${PRODUCTION_STAGES[at + 1]}`, { currentStage: current.stage });
  const status = statusForStage(stage);
  const statusChanges = status !== statusForStage(current.stage);
  const shopSaw = statusChanges
    ? ctx.listeners.waitFor<OrderStatusMessage>(channelName(ctx.env.NAMESPACE, orderStatusChannel(orderId)), (m) => m.status === status, ctx.env.STATUS_WAIT_MS)
    : null;
  await shopSaw?.ready;
  const event: ProductionStageChanged = { orderId, stage, previousStage: current.stage, operatorId: me.id, at: new Date().toISOString() };
  // the stage and its event commit together; the conditional update makes a concurrent second move lose
  // a refused move stops waiting at once instead of holding a listener until the timeout
  await ctx.prisma
    .$transaction(async (tx) => {
      const { count } = await tx.productionOrder.updateMany({
        where: { orderId, stage: current.stage },
        data: { stage, operatorId: me.id, completedAt: stage === 'SHIPPED' ? new Date() : null },
      });
      if (count === 0) throw userError('CONFLICT', `Order ${orderId} was moved by someone else; reload and try again`);
      if (current.printerId) await followPrinterStatus(tx, current.printerId, current.stage, stage);
      if (stage === 'SHIPPED') {
        // finished work leaves the hot table in the same transaction: the queue never scans history
        const done = await tx.productionOrder.delete({ where: { orderId } });
        await tx.archivedProductionOrder.create({ data: { ...done, completedAt: done.completedAt ?? new Date() } });
      }
      await tx.outboxEvent.create({ data: outboxEvent(EVENTS.productionStageChanged, event) });
    })
    .catch((error: unknown) => {
      shopSaw?.cancel();
      throw error;
    });
  ctx.outbox.nudge();
  await shopSaw?.result;
  return { id: orderId };
}
