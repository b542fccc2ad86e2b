import { randomUUID } from 'node:crypto';
import { Counter, Gauge } from 'prom-client';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { consecutiveRuns } from './batcher.ts';
import type { Bus } from './bus.ts';

/**
 * The transactional outbox. A state change and the event announcing it are written in one
 * database transaction (`outbox_events`, see each subgraph's schema.prisma); the relay
 * publishes pending rows with publisher confirms and marks them only after the broker
 * confirmed. A crash anywhere in between leaves the row pending, so it is published later:
 * at least once, never lost. Consumers make it exactly-once with `processNew`.
 */

/** The row to create with `tx.outboxEvent.create({ data: outboxEvent(type, data) })`. */
export function outboxEvent<T>(type: string, data: T, id: string = randomUUID()) {
  return { id, type, payload: data as object };
}

export type OutboxRow = ReturnType<typeof outboxEvent>;

/** What the relay needs of a Prisma client: raw SQL inside an interactive transaction. */
export interface OutboxDb {
  $transaction<R>(fn: (tx: RawSql) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R>;
  $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R>;
}
export interface RawSql {
  $queryRawUnsafe<R = unknown>(query: string, ...values: unknown[]): Promise<R>;
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
}

export interface OutboxRelayOptions {
  db: OutboxDb;
  bus: Bus;
  logger: Logger;
  metrics: Metrics;
  /** How often pending rows are looked for when nobody nudges. @default 500 */
  intervalMs?: number;
  /** Rows published per transaction. @default 200 */
  batchSize?: number;
  /** First pause after the broker refused or failed a publish; doubles per failure. @default 100 */
  backoffMinMs?: number;
  /** Longest pause between attempts while the broker keeps refusing. @default 5000 */
  backoffMaxMs?: number;
}

interface PendingRow {
  id: string;
  type: string;
  payload: unknown;
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly published: Counter;
  private readonly failures: Counter;
  private readonly backlog: Gauge;
  private readonly nacks: Counter;
  private readonly backoffGauge: Gauge;
  private backoffMs = 0;
  private pausedUntil = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    const { registry } = options.metrics;
    this.published = new Counter({ name: 'fabline_outbox_published_total', help: 'Outbox events confirmed by the broker', registers: [registry] });
    this.failures = new Counter({
      name: 'fabline_outbox_publish_failures_total',
      help: 'Outbox publish attempts the broker did not confirm',
      registers: [registry],
    });
    this.nacks = new Counter({
      name: 'fabline_outbox_publish_nacks_total',
      help: 'Outbox publishes the broker refused (a bounded queue was full): the relay backs off and keeps the rows',
      registers: [registry],
    });
    this.backoffGauge = new Gauge({ name: 'fabline_outbox_backoff_ms', help: 'Current pause of the relay after refused publishes', registers: [registry] });
    this.backlog = new Gauge({ name: 'fabline_outbox_backlog', help: 'Outbox events not yet confirmed by the broker', registers: [registry] });
  }

  start() {
    const tick = () => {
      this.nudge();
      if (!this.stopped) this.timer = setTimeout(tick, Math.max(this.options.intervalMs ?? 500, this.pausedUntil - Date.now()));
    };
    tick();
    return this;
  }

  /** Publish now (called right after a transaction that wrote outbox rows commits). */
  nudge() {
    // while backing off, commits do not hammer a broker that is pushing back; the timer resumes
    if (this.stopped || Date.now() < this.pausedUntil) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .catch((err) => this.options.logger.warn({ err }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        this.running = null;
        if (this.again) {
          this.again = false;
          this.nudge();
        }
      });
  }

  /** Resolves when everything pending at call time was handled (tests and shutdown). */
  async flush() {
    while (this.running) await this.running;
    this.nudge();
    while (this.running) await this.running;
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.running) await this.running;
  }

  private async drain() {
    const batchSize = this.options.batchSize ?? 200;
    for (;;) {
      const { found, sent, error } = await this.options.db.$transaction(
        async (tx) => {
          // SKIP LOCKED: several replicas' relays share the work without publishing a row twice at once
          const rows = await tx.$queryRawUnsafe<PendingRow[]>(
            'SELECT id, type, payload FROM outbox_events WHERE published_at IS NULL ORDER BY seq LIMIT $1 FOR UPDATE SKIP LOCKED',
            batchSize,
          );
          // pipelined on one channel, so the broker receives them in commit order; only the confirmed
          // prefix is marked, the rest is sent again in order next pass (consumers drop the duplicates)
          const results = await Promise.allSettled(rows.map((row) => this.options.bus.publishOnce(row.type, row.payload, row.id)));
          const firstFailure = results.findIndex((r) => r.status === 'rejected');
          const done = (firstFailure === -1 ? rows : rows.slice(0, firstFailure)).map((row) => row.id);
          const failed = firstFailure === -1 ? undefined : (results[firstFailure] as PromiseRejectedResult).reason;
          const failedRow = firstFailure === -1 ? undefined : rows[firstFailure];
          if (failedRow) {
            await tx.$executeRawUnsafe(
              'UPDATE outbox_events SET attempts = attempts + 1, last_error = $2 WHERE id = $1::uuid',
              failedRow.id,
              String((failed as Error)?.message ?? failed),
            );
          }
          if (done.length) await tx.$executeRawUnsafe('UPDATE outbox_events SET published_at = now() WHERE id = ANY($1::uuid[])', done);
          return { found: rows.length, sent: done.length, error: failed as unknown };
        },
        { timeout: 60_000, maxWait: 10_000 },
      );
      this.published.inc(sent);
      if (error !== undefined) {
        this.failures.inc();
        if ((error as { code?: string }).code === 'NACK') this.nacks.inc();
        this.backOff();
        break;
      }
      this.backoffMs = 0;
      this.backoffGauge.set(0);
      if (found < batchSize) break;
    }
    const [pending] = await this.options.db.$queryRawUnsafe<{ count: bigint }[]>('SELECT count(*) AS count FROM outbox_events WHERE published_at IS NULL');
    this.backlog.set(Number(pending?.count ?? 0));
  }

  /** Exponential backoff: the rows stay pending and are tried again after the pause. */
  private backOff() {
    const { backoffMinMs = 100, backoffMaxMs = 5000 } = this.options;
    this.backoffMs = Math.min(backoffMaxMs, this.backoffMs ? this.backoffMs * 2 : backoffMinMs);
    this.pausedUntil = Date.now() + this.backoffMs;
    this.backoffGauge.set(this.backoffMs);
    clearTimeout(this.timer);
    if (!this.stopped) this.timer = setTimeout(() => this.start(), this.backoffMs);
  }
}

/**
 * The inbox: records that `consumer` applied these events, in the same transaction as their effect,
 * in one statement for a whole batch. Returns the ids not applied before (a redelivered event is
 * left out, so it changes nothing); the caller applies each returned id once.
 */
export async function processNew(tx: RawSql, eventIds: readonly string[], consumer: string): Promise<Set<string>> {
  const rows = await tx.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO processed_events (id, consumer) SELECT $2 || ':' || e, $2 FROM unnest($1::text[]) AS e ON CONFLICT DO NOTHING RETURNING id`,
    eventIds,
    consumer,
  );
  return new Set(rows.map((r) => r.id.slice(consumer.length + 1)));
}

/**
 * Applies a batch of consumed events exactly once, in one transaction: the events `consumer` has
 * not applied before (the inbox), in delivery order, in runs of one event type. `applyRun` makes a
 * run's effect and returns the events it announces, which are written to the outbox in the same
 * transaction; the relay is nudged after the commit when there are any.
 */
export async function applyNewEvents<
  Tx extends RawSql & { outboxEvent: { createMany(args: { data: OutboxRow[] }): unknown } },
  E extends { id: string; type: string },
>(
  db: { $transaction<R>(fn: (tx: Tx) => Promise<R>, options?: { timeout?: number; maxWait?: number }): Promise<R> },
  consumer: string,
  events: readonly E[],
  applyRun: (tx: Tx, run: { key: string; items: E[] }) => Promise<OutboxRow[] | undefined>,
  relay?: Pick<OutboxRelay, 'nudge'>,
): Promise<void> {
  const announced = await db.$transaction(
    async (tx) => {
      const fresh = await processNew(
        tx,
        events.map((e) => e.id),
        consumer,
      );
      const outbox: OutboxRow[] = [];
      for (const run of consecutiveRuns(
        events.filter((e) => fresh.delete(e.id)),
        (e) => e.type,
      )) {
        outbox.push(...((await applyRun(tx, run)) ?? []));
      }
      if (outbox.length) await tx.outboxEvent.createMany({ data: outbox });
      return outbox.length;
    },
    { maxWait: 10_000, timeout: 30_000 },
  );
  if (announced > 0) relay?.nudge();
}
