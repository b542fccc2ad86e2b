import { randomUUID } from 'node:crypto';
import { isStaff, requireViewer, type Viewer } from '@fabline/shared/auth';
import { assertFirst, decodeCursor, pageOf } from '@fabline/shared/connections';
import { userError } from '@fabline/shared/errors';
import { EVENTS, type OrderPlaced, type OrderStatus, type OrderStatusMessage, type ProductionStage } from '@fabline/shared/events';
import { assertId, notFound } from '@fabline/shared/ids';
import { addAmounts } from '@fabline/shared/money';
import { publishOrderStatuses } from '@fabline/shared/orderEventLog';
import { outboxEvent } from '@fabline/shared/outbox';
import { z } from 'zod';
import type { ShopContext, ShopDeps } from './context.ts';
import type { Order, Prisma } from './generated/prisma/client.ts';

export const assertOrderId = (id: string) => assertId(id, 'order');

/** Customers see their own orders; staff see all. Another customer's order is NOT_FOUND, as an unknown one. */
export function assertCanSee(order: Order, viewer: Viewer | null) {
  const me = requireViewer(viewer);
  if (!isStaff(me) && order.customerId !== me.id) throw notFound('Order', order.id);
  return order;
}

interface QuoteForOrder {
  id: string;
  status: 'PENDING' | 'READY' | 'FAILED';
  ownerId: string;
  material: { code: string };
  quantity: number;
  expiresAt: string;
  model: { id: string };
  price: { amount: string; currency: string } | null;
  needsReview: boolean;
}

const QUOTES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on Quote { id status ownerId material { code } quantity expiresAt model { id } price { amount currency } needsReview } } }`;

export async function placeOrder(ctx: ShopContext, input: { items: { quoteId: string }[] }) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER']);
  const ids = input.items.map((i) => i.quoteId);
  if (ids.length === 0 || ids.length > 50) throw userError('BAD_USER_INPUT', 'An order needs 1 to 50 items');
  if (new Set(ids).size !== ids.length) throw userError('BAD_USER_INPUT', 'Each quote may appear once in an order');
  for (const id of ids) assertId(id, 'quote');

  const { _entities: quotes } = await ctx.mes<{ _entities: (QuoteForOrder | null)[] }>(
    QUOTES,
    { representations: ids.map((id) => ({ __typename: 'Quote', id })) },
    me,
    ctx.requestId,
  );
  const items = quotes.map((quote, index) => {
    const id = ids[index] as string;
    if (!quote || quote.ownerId !== me.id) throw userError('NOT_FOUND', `Quote ${id} not found`);
    if (quote.status !== 'READY' || !quote.price) throw userError('BAD_USER_INPUT', `Quote ${id} is ${quote.status}; only READY quotes can be ordered`);
    if (Date.parse(quote.expiresAt) < Date.now()) throw userError('BAD_USER_INPUT', `Quote ${id} expired; request a new quote`);
    return {
      quoteId: id,
      modelId: quote.model.id,
      material: quote.material.code,
      quantity: quote.quantity,
      amount: quote.price.amount,
      currency: quote.price.currency,
      needsReview: quote.needsReview,
    };
  });
  const currency = items[0]?.currency ?? 'EUR';
  if (items.some((i) => i.currency !== currency)) throw userError('BAD_USER_INPUT', 'All quotes in an order must have the same currency');
  const models = await ctx.prisma.model3D.findMany({ where: { id: { in: items.map((i) => i.modelId) }, ownerId: me.id } });
  if (models.length !== new Set(items.map((i) => i.modelId)).size) throw userError('NOT_FOUND', 'A quoted model no longer exists');
  const total = addAmounts(items.map((i) => i.amount));

  const id = randomUUID();
  const placedAt = new Date();
  const event: OrderPlaced = {
    orderId: id,
    customerId: me.id,
    placedAt: placedAt.toISOString(),
    total: { amount: total, currency },
    items: items.map(({ currency: _c, needsReview: _n, ...item }) => item),
  };
  // the order and its order.placed event commit together: the event cannot be lost, the order cannot go unannounced
  const order = await ctx.prisma.$transaction(async (tx) => {
    const created = await tx.order.create({
      data: {
        id,
        customerId: me.id,
        totalAmount: total,
        currency,
        placedAt,
        needsReview: items.some((i) => i.needsReview),
        items: { create: items.map(({ currency: _c, needsReview: _n, ...item }) => item) },
        history: { create: { status: 'PLACED', previousStatus: null, eventId: `placed:${id}`, at: placedAt } },
      },
      include: { history: true },
    });
    await tx.outboxEvent.create({ data: outboxEvent(EVENTS.orderPlaced, event) });
    return created;
  });
  ctx.outbox.nudge();
  const first = order.history[0];
  await announce(ctx, [
    {
      orderId: order.id,
      customerId: me.id,
      previousStatus: null,
      status: 'PLACED',
      at: order.placedAt.toISOString(),
      eventId: String(first?.id ?? ''),
    },
  ]);
  return order;
}

/** Forward-only ranks; REJECTED and CANCELLED end an order. */
const RANK: Record<OrderStatus, number> = { PLACED: 0, APPROVED: 1, IN_PRODUCTION: 2, QUALITY_CHECK: 3, READY: 4, SHIPPED: 5, REJECTED: 9, CANCELLED: 9 };
const TERMINAL = new Set<OrderStatus>(['REJECTED', 'CANCELLED', 'SHIPPED']);

export function canMove(from: OrderStatus, to: OrderStatus) {
  if (TERMINAL.has(from) || from === to) return false;
  if (to === 'REJECTED') return from === 'PLACED';
  if (to === 'CANCELLED') return from === 'PLACED' || from === 'APPROVED';
  return RANK[to] > RANK[from];
}

export interface StatusChange {
  orderId: string;
  status: OrderStatus;
  /** The event carrying the change; a history row per event makes a replayed event a no-op. */
  eventId: string;
  /** An event to publish (through the outbox) when the change is made. */
  announceOnBus?: ReturnType<typeof outboxEvent>;
  /**
   * The production stage the change comes from. A stage move that leaves the customer's status as it
   * was (PRINTING → POST_PROCESSING) writes no history, but is still announced to the staff feeds.
   */
  stage?: ProductionStage;
}

interface Applied {
  change: StatusChange;
  previousStatus: OrderStatus;
  customerId: string;
  /** A production move within the same customer status: announced, not stored in the history. */
  stageOnly: boolean;
}

/**
 * Applies status changes in one transaction, in the order given (one order's changes are applied
 * in sequence); a replayed or stale change is skipped. Whatever the count, the transaction is at most six
 * round trips: lock the orders, look up the events already applied, draw ids for production moves that
 * keep the status (announced, not stored), update the orders, insert the history rows, insert any outbox rows. Returns the messages announced on Redis after the commit.
 */
export async function applyStatusChanges(deps: Pick<ShopDeps, 'prisma' | 'redis' | 'env'>, changes: StatusChange[]): Promise<OrderStatusMessage[]> {
  if (changes.length === 0) return [];
  const messages = await deps.prisma.$transaction(
    async (tx) => {
      const orderIds = [...new Set(changes.map((c) => c.orderId))];
      // locked in id order, so two transactions locking some of the same orders cannot deadlock
      const rows = await tx.$queryRawUnsafe<{ id: string; status: OrderStatus; customer_id: string }[]>(
        'SELECT id, status, customer_id FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE',
        orderIds,
      );
      const seen = new Set(
        (
          await tx.$queryRawUnsafe<{ event_id: string }[]>(
            'SELECT event_id FROM order_status_changes WHERE event_id = ANY($1::text[])',
            changes.map((c) => c.eventId),
          )
        ).map((r) => r.event_id),
      );
      const orders = new Map(rows.map((r) => [r.id, { status: r.status, customerId: r.customer_id }]));
      const applied: Applied[] = [];
      for (const change of changes) {
        const order = orders.get(change.orderId);
        if (!order || seen.has(change.eventId)) continue;
        const stageOnly = change.stage !== undefined && order.status === change.status;
        if (!stageOnly && !canMove(order.status, change.status)) continue;
        seen.add(change.eventId);
        applied.push({ change, previousStatus: order.status, customerId: order.customerId, stageOnly });
        order.status = change.status;
      }
      if (applied.length === 0) return [];
      const moved = applied.filter((a) => a.stageOnly);
      const stored = applied.filter((a) => !a.stageOnly);
      // a stage-only move's event id is drawn from the history's own sequence: unique among the order's
      // event ids (the gateway keys events by it), though no row takes it
      const drawn = moved.length
        ? await tx.$queryRawUnsafe<{ id: bigint }[]>(
            `SELECT nextval(pg_get_serial_sequence('order_status_changes', 'id')) AS id FROM generate_series(1, $1::int)`,
            moved.length,
          )
        : [];
      const movedIds = new Map(moved.map((a, i) => [a.change.eventId, drawn[i]?.id]));
      const final = new Map(stored.map((a) => [a.change.orderId, a.change.status]));
      if (final.size)
        await tx.$executeRawUnsafe(
          `UPDATE orders o SET status = v.status::"OrderStatus", updated_at = now()
           FROM unnest($1::uuid[], $2::text[]) AS v(id, status) WHERE o.id = v.id`,
          [...final.keys()],
          [...final.values()],
        );
      // ids are drawn in the order given, so an order's history keeps its sequence
      const history = !stored.length
        ? []
        : await tx.$queryRawUnsafe<{ id: bigint; event_id: string; at: Date }[]>(
            `INSERT INTO order_status_changes (order_id, previous_status, status, event_id, at)
         SELECT v.order_id, v.previous_status::"OrderStatus", v.status::"OrderStatus", v.event_id, now()
           FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS v(order_id, previous_status, status, event_id, n)
          ORDER BY v.n
         RETURNING id, event_id, at`,
            stored.map((a) => a.change.orderId),
            stored.map((a) => a.previousStatus),
            stored.map((a) => a.change.status),
            stored.map((a) => a.change.eventId),
          );
      const outbox = applied.flatMap((a) => (a.change.announceOnBus ? [a.change.announceOnBus] : []));
      if (outbox.length) await tx.outboxEvent.createMany({ data: outbox });
      const rowOf = new Map(history.map((h) => [h.event_id, h]));
      return applied.map(({ change, previousStatus, customerId, stageOnly }): OrderStatusMessage => {
        const row = rowOf.get(change.eventId);
        return {
          orderId: change.orderId,
          customerId,
          previousStatus,
          status: change.status,
          at: new Date(row?.at ?? Date.now()).toISOString(),
          eventId: String((stageOnly ? movedIds.get(change.eventId) : row?.id) ?? ''),
          ...(change.stage && { stage: change.stage }),
        };
      });
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  await announce(deps, messages);
  return messages;
}

/** One status change (a mutation's); null when it changed nothing. */
export async function applyStatus(
  deps: Pick<ShopDeps, 'prisma' | 'redis' | 'env'>,
  orderId: string,
  status: OrderStatus,
  eventId: string,
  announceOnBus?: ReturnType<typeof outboxEvent>,
) {
  const [message] = await applyStatusChanges(deps, [{ orderId, status, eventId, ...(announceOnBus && { announceOnBus }) }]);
  return message ?? null;
}

/**
 * Status changes go to Redis pub/sub for waiting mutations and subscriptions on every replica, and
 * to the order event log the staff feeds resume from; one round trip for many.
 */
async function announce(deps: Pick<ShopDeps, 'redis' | 'env'>, messages: OrderStatusMessage[]) {
  await publishOrderStatuses(deps.redis, deps.env.NAMESPACE, messages, deps.env.ORDER_EVENT_LOG_MAX_LEN);
}

const cursorShape = z.tuple([z.iso.datetime(), z.uuid()]);

function parseCursor(after: string | null | undefined) {
  const key = decodeCursor(after, cursorShape);
  return key && { placedAt: new Date(key[0]), id: key[1] };
}

export interface OrderListFilter {
  customerId?: string;
  status?: readonly OrderStatus[] | null;
  needsReview?: boolean | null;
}

/**
 * Keyset pagination over (placedAt, id), newest first unless `oldestFirst`: a page costs one index
 * range scan however deep it is. `totalCount` is counted only when a client selects it.
 */
export async function listOrders(ctx: ShopContext, filter: OrderListFilter, first: number, after: string | null | undefined, oldestFirst = false) {
  assertFirst(first, 100);
  const cursor = parseCursor(after);
  const where: Prisma.OrderWhereInput = {
    ...(filter.customerId !== undefined && { customerId: filter.customerId }),
    ...(filter.status?.length && { status: { in: [...filter.status] } }),
    ...(filter.needsReview != null && { needsReview: filter.needsReview }),
  };
  const beyond = oldestFirst ? 'gt' : 'lt';
  const rows = await ctx.prisma.order.findMany({
    where: {
      ...where,
      ...(cursor ? { OR: [{ placedAt: { [beyond]: cursor.placedAt } }, { placedAt: cursor.placedAt, id: { [beyond]: cursor.id } }] } : {}),
    },
    orderBy: oldestFirst ? [{ placedAt: 'asc' }, { id: 'asc' }] : [{ placedAt: 'desc' }, { id: 'desc' }],
    take: first + 1,
  });
  return {
    ...pageOf(rows, first, (row) => [row.placedAt.toISOString(), row.id]),
    totalCount: () => ctx.prisma.order.count({ where }),
  };
}

export type OrderPage = Awaited<ReturnType<typeof listOrders>>;
