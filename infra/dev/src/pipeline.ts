import type { ChildProcess } from 'node:child_process';
import { createPrisma as crmPrisma } from '@fabline/crm/db';
import { createPrisma as mesPrisma } from '@fabline/mes/db';
import { createPrisma as shopPrisma } from '@fabline/shop/db';
import { listQueues } from './rabbitmqctl.ts';
import type { Stack } from './stack.ts';

/**
 * Helpers for pipeline tests and the pipeline benchmark: orders placed straight into the shop's
 * database (order, first history row and order.placed outbox row in one transaction, as
 * `placeOrder` writes them, without the quote round trips), and counts read from all three databases.
 */

/** The env that replaces managers and operators with automatic ones (test only). */
export const AUTOMATIC_STAFF = { CRM_AUTO_APPROVE: 'true', MES_AUTO_ADVANCE_TO: 'READY' };

export type PipelineDbs = ReturnType<typeof openDbs>;

export function openDbs(stack: Pick<Stack, 'databaseUrls'>) {
  return { shop: shopPrisma(stack.databaseUrls.shop), crm: crmPrisma(stack.databaseUrls.crm), mes: mesPrisma(stack.databaseUrls.mes) };
}

export async function closeDbs(dbs: PipelineDbs) {
  await Promise.all([dbs.shop.$disconnect(), dbs.crm.$disconnect(), dbs.mes.$disconnect()]);
}

const CUSTOMER = '00000000-0000-4000-8000-0000000c0001';

/** Places `count` orders in one transaction; the shop's relay publishes them. */
export async function placeOrders(dbs: PipelineDbs, count: number) {
  await dbs.shop.$executeRawUnsafe(
    `WITH o AS (
       INSERT INTO orders (id, customer_id, total_amount, currency, placed_at, updated_at)
       SELECT gen_random_uuid(), $1::uuid, 10.00, 'EUR', now(), now() FROM generate_series(1, $2) RETURNING id, customer_id, placed_at
     ), h AS (
       INSERT INTO order_status_changes (order_id, previous_status, status, event_id, at) SELECT id, NULL, 'PLACED', 'placed:' || id, placed_at FROM o
     )
     INSERT INTO outbox_events (id, type, payload)
     SELECT gen_random_uuid(), 'order.placed', jsonb_build_object('orderId', id, 'customerId', customer_id, 'placedAt', placed_at,
       'total', jsonb_build_object('amount', '10.00', 'currency', 'EUR'), 'items', '[]'::jsonb) FROM o`,
    CUSTOMER,
    count,
  );
}

const one = async (db: { $queryRawUnsafe<R>(q: string): Promise<R> }, sql: string) => Number((await db.$queryRawUnsafe<{ n: bigint }[]>(sql))[0]?.n ?? 0);

/** What each database says about the pipeline. */
export async function pipelineCounts(dbs: PipelineDbs) {
  const [orders, ready, history, duplicateHistory, reviews, approved, production, productionReady, unpublished] = await Promise.all([
    one(dbs.shop, 'SELECT count(*) AS n FROM orders'),
    one(dbs.shop, `SELECT count(*) AS n FROM orders WHERE status = 'READY'`),
    one(dbs.shop, 'SELECT count(*) AS n FROM order_status_changes'),
    one(dbs.shop, 'SELECT count(*) AS n FROM (SELECT order_id, status FROM order_status_changes GROUP BY 1, 2 HAVING count(*) > 1) d'),
    one(dbs.crm, 'SELECT count(*) AS n FROM reviews'),
    one(dbs.crm, `SELECT count(*) AS n FROM reviews WHERE decision = 'APPROVED'`),
    one(dbs.mes, 'SELECT count(*) AS n FROM production_orders'),
    one(dbs.mes, `SELECT count(*) AS n FROM production_orders WHERE stage = 'READY'`),
    Promise.all([dbs.shop, dbs.crm, dbs.mes].map((db) => one(db, 'SELECT count(*) AS n FROM outbox_events WHERE published_at IS NULL'))),
  ]);
  return { orders, ready, history, duplicateHistory, reviews, approved, production, productionReady, unpublished: unpublished.reduce((a, b) => a + b, 0) };
}

/** Kills a process the hard way (no shutdown hook runs) and waits until it is gone. */
export async function sigkill(child: ChildProcess | undefined) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** `rabbitmqctl list_queues` for one namespace: name → [messages ready, unacknowledged]. */
export function brokerQueues(namespace: string) {
  const queues = new Map<string, { ready: number; unacked: number }>();
  for (const [name = '', ready, unacked] of listQueues(['name', 'messages_ready', 'messages_unacknowledged'])) {
    if (name.startsWith(`${namespace}.`)) queues.set(name.slice(namespace.length + 1), { ready: Number(ready), unacked: Number(unacked) });
  }
  return queues;
}
