import { randomUUID } from 'node:crypto';
import { type AsyncMessage, Connection, ConsumerStatus, type Publisher } from 'rabbitmq-client';
import type { Logger } from '../platform/logger.ts';
import type { Metrics } from '../platform/metrics.ts';
import { traceConsume, tracePublish } from '../tracing/instrumentation.ts';
import { type BatchOptions, createBatcher } from './batcher.ts';
import { type BusMetrics, type ConsumedOutcome, countPublish, createBusMetrics } from './busMetrics.ts';
import {
  ATTEMPT_HEADER,
  DEAD_LETTERED_AT_HEADER,
  deadLetterQueue,
  ERROR_HEADER,
  type QueueSpec,
  queueDeclarations,
  RETRY_DELAYS_MS,
  retryQueue,
} from './topology.ts';

export { ConsumerStatus };

const OUTCOME_OF_STATUS: Record<ConsumerStatus, ConsumedOutcome> = {
  [ConsumerStatus.ACK]: 'ack',
  [ConsumerStatus.REQUEUE]: 'requeue',
  [ConsumerStatus.DROP]: 'drop',
};

/** Every event on the bus has this envelope; `id` makes consumers idempotent. */
export interface EventEnvelope<T = unknown> {
  id: string;
  type: string;
  occurredAt: string;
  data: T;
}

export interface BusOptions {
  url: string;
  /** Prefix of the exchange and queue names. */
  namespace: string;
  logger: Logger;
  /** Registers the bus metrics (`busMetrics.ts`: publishes, consumed outcomes, handling time, in flight, lag, queue depth) when given. */
  metrics?: Metrics;
}

export interface ConsumeOptions {
  /**
   * The queue from the topology table (`topology.ts`): declares it with exactly its arguments, its
   * retry queues and its dead-letter queue; a failing message is retried after each of
   * `RETRY_DELAYS_MS`, then moved to `<queue>.dlq`. Without it, `queue`, `bindings` and `deadLetter` apply.
   */
  spec?: QueueSpec;
  /** Queue name without the namespace (ignored with `spec`). */
  queue?: string;
  /** Routing keys on the events exchange (topic patterns). Empty for a work queue. */
  bindings?: string[];
  /** @default 10 */
  prefetch?: number;
  /**
   * Send messages whose handler failed twice to `<queue>.dlq` (declared here, durable) instead
   * of dropping them, so a poison message is kept for inspection and never retried forever.
   * An existing queue declared without it must be deleted first (its arguments change).
   * @default false
   */
  deadLetter?: boolean;
}

// biome-ignore lint/suspicious/noConfusingVoidType: most handlers return nothing, which means ACK
export type EventHandler = (event: EventEnvelope, message: AsyncMessage) => Promise<ConsumerStatus | void>;

/** Applies several events at once (one transaction), in delivery order; throwing rejects the whole batch. */
export type BatchHandler = (events: EventEnvelope[]) => Promise<void>;

/**
 * The one RabbitMQ wrapper: a topic exchange `<namespace>.events` for domain events, durable
 * queues, publisher confirms, consumers with a prefetch limit. Reconnects on its own.
 */
export class Bus {
  readonly connection: Connection;
  readonly exchange: string;
  private readonly publisher: Publisher;
  private orderedPublisher: Publisher | undefined;
  private readonly consumers: { close(): Promise<void> }[] = [];
  private readonly consumed: string[] = [];
  private readonly metrics: BusMetrics | undefined;

  constructor(private readonly options: BusOptions) {
    this.connection = new Connection({ url: options.url, connectionName: `${options.namespace}`, retryHigh: 5000 });
    this.exchange = `${options.namespace}.events`;
    let lastError = '';
    this.connection.on('error', (err) => {
      if (err.message !== lastError) options.logger.warn({ err, url: redactUrl(options.url) }, 'rabbitmq connection error');
      lastError = err.message;
    });
    this.publisher = this.connection.createPublisher({
      confirm: true,
      maxAttempts: 3,
      exchanges: [{ exchange: this.exchange, type: 'topic', durable: true }],
    });
    if (options.metrics) this.metrics = createBusMetrics(options.metrics, () => this.depths());
  }

  private async depths() {
    const found = await Promise.all(
      this.consumed.map((queue) =>
        this.connection
          .queueDeclare({ queue, passive: true })
          // labelled without the namespace, like every other bus metric
          .then(({ messageCount }) => ({ queue: queue.slice(this.options.namespace.length + 1), depth: messageCount }))
          .catch(() => null),
      ),
    );
    return found.filter((f) => f !== null);
  }

  queueName(queue: string) {
    return `${this.options.namespace}.${queue}`;
  }

  /** Publishes an event and resolves once the broker confirmed it. */
  async publish<T>(type: string, data: T, id: string = randomUUID()): Promise<EventEnvelope<T>> {
    const event: EventEnvelope<T> = { id, type, occurredAt: new Date().toISOString(), data };
    // trace context rides in the message headers (W3C traceparent) so consumers continue the trace
    await countPublish(this.metrics, type, () =>
      tracePublish(`${this.exchange} ${type}`, (headers) =>
        this.publisher.send({ exchange: this.exchange, routingKey: type, messageId: id, durable: true, contentType: 'application/json', headers }, event),
      ),
    );
    return event;
  }

  /**
   * Publishes once, without the publisher's own retry: a retried message would overtake the ones
   * sent after it. The outbox relay uses it and retries the whole tail itself, in order.
   */
  async publishOnce<T>(type: string, data: T, id: string): Promise<void> {
    this.orderedPublisher ??= this.connection.createPublisher({
      confirm: true,
      maxAttempts: 1,
      exchanges: [{ exchange: this.exchange, type: 'topic', durable: true }],
    });
    const event: EventEnvelope<T> = { id, type, occurredAt: new Date().toISOString(), data };
    await this.orderedPublisher.send({ exchange: this.exchange, routingKey: type, messageId: id, durable: true, contentType: 'application/json' }, event);
  }

  /** Sends to a work queue (through the default exchange), confirmed. */
  async send<T>(queue: string, data: T, id: string = randomUUID()): Promise<EventEnvelope<T>> {
    const event: EventEnvelope<T> = { id, type: queue, occurredAt: new Date().toISOString(), data };
    await countPublish(this.metrics, queue, () =>
      tracePublish(this.queueName(queue), (headers) =>
        this.publisher.send({ routingKey: this.queueName(queue), messageId: id, durable: true, contentType: 'application/json', headers }, event),
      ),
    );
    return event;
  }

  /**
   * Declares the queue (durable) and its bindings, then consumes with a prefetch limit. With a
   * `spec`, a throwing handler's message goes to the next retry queue (the broker returns it after
   * the delay) and, once the retries are spent, to the dead-letter queue; without, it is requeued once.
   */
  consume(options: ConsumeOptions, handler: EventHandler) {
    const { spec, prefetch = 10 } = options;
    const queue = spec?.queue ?? options.queue;
    if (!queue) throw new Error('consume needs a spec or a queue');
    const bindings = spec?.bindings ?? options.bindings ?? [];
    const deadLetter = spec ? true : (options.deadLetter ?? false);
    const name = this.queueName(queue);
    const logger = this.options.logger.child({ queue: name });
    const dlq = deadLetterQueue(name);
    const [work, ...extra] = spec ? queueDeclarations(this.options.namespace, spec) : [{ name, arguments: {} }];
    // only queues that exist are measured: a passive declare of a missing one closes the channel
    this.consumed.push(name, ...(spec ? extra.map((q) => q.name) : deadLetter ? [dlq] : []));
    const workArguments = spec ? work?.arguments : deadLetter ? { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq } : undefined;
    // retry and dead-letter queues exist before the consumer's first failure can need them
    const declareExtra = () =>
      Promise.all(
        (spec ? extra : deadLetter ? [{ name: dlq, arguments: {} }] : []).map((q) =>
          this.connection.queueDeclare({ queue: q.name, durable: true, arguments: q.arguments }),
        ),
      ).catch((err: unknown) => logger.warn({ err }, 'retry or dead-letter queues not declared'));
    void declareExtra();
    const metrics = this.metrics;
    const consumer = this.connection.createConsumer(
      {
        queue: name,
        queueOptions: { durable: true, ...(workArguments && { arguments: workArguments }) },
        qos: { prefetchCount: prefetch },
        exchanges: bindings.length ? [{ exchange: this.exchange, type: 'topic', durable: true }] : [],
        queueBindings: bindings.map((routingKey) => ({ exchange: this.exchange, routingKey })),
      },
      // the handler runs in a consumer span continuing the publisher's trace (headers)
      (message) =>
        traceConsume(name, message.headers, async () => {
          const event = message.body as EventEnvelope;
          metrics?.inFlight.inc({ queue });
          const occurred = Date.parse(event?.occurredAt ?? '');
          if (!Number.isNaN(occurred)) metrics?.lag.observe({ queue }, Math.max(0, Date.now() - occurred) / 1000);
          const handling = metrics?.handleDuration.startTimer({ queue });
          try {
            const status = (await handler(event, message)) ?? ConsumerStatus.ACK;
            handling?.();
            metrics?.consumed.inc({ queue, outcome: OUTCOME_OF_STATUS[status] });
            return status;
          } catch (err) {
            handling?.();
            logger.error({ err, eventId: event?.id, type: event?.type, redelivered: message.redelivered }, 'event handler failed');
            const outcome = spec ? await this.retryOrDeadLetter(name, message, err) : message.redelivered ? 'drop' : 'requeue';
            metrics?.consumed.inc({ queue, outcome });
            // without a spec: a first failure is retried once; a redelivered one is dropped, or dead-lettered with `deadLetter`
            return outcome === 'requeue' ? ConsumerStatus.REQUEUE : outcome === 'drop' ? ConsumerStatus.DROP : ConsumerStatus.ACK;
          } finally {
            metrics?.inFlight.dec({ queue });
          }
        }),
    );
    consumer.on('error', (err) => {
      // a queue first declared with other arguments keeps them; the broker refuses the new ones
      if ((err as { code?: string }).code === 'PRECONDITION_FAILED') {
        logger.error({ err }, `queue ${name} exists with other arguments; delete it once (rabbitmqctl delete_queue ${name}) or use another NAMESPACE`);
      } else logger.warn({ err }, 'consumer error');
    });
    consumer.on('ready', () => void declareExtra());
    this.consumers.push(consumer);
    return consumer;
  }

  /**
   * Consumes like `consume`, but hands the handler batches of up to `batchSize` events in delivery
   * order, one batch at a time, so a consumer applies many events per transaction and one order's
   * events still apply in sequence. Every message of a batch is acked only after the handler
   * resolved; when it throws, the batch's events are applied again one by one, and only one that
   * fails alone goes the usual way (retry queue, then dead-letter queue). The prefetch defaults to
   * two batches: one applied, the next collecting.
   */
  consumeBatch(options: ConsumeOptions & BatchOptions, handler: BatchHandler) {
    const { batchSize = 100, maxWaitMs, ...consume } = options;
    const add = createBatcher(handler, { batchSize, maxWaitMs });
    return this.consume({ ...consume, prefetch: consume.prefetch ?? 2 * batchSize }, (event) => add(event));
  }

  /** Moves a failed message to its next retry queue, or to the dead-letter queue when retries are spent. */
  private async retryOrDeadLetter(name: string, message: AsyncMessage, err: unknown): Promise<'retry' | 'dead_letter' | 'requeue'> {
    const { 'x-death': _death, ...headers } = (message.headers ?? {}) as Record<string, unknown>;
    const attempt = Number(headers[ATTEMPT_HEADER] ?? 0);
    const dead = attempt >= RETRY_DELAYS_MS.length;
    const error = String((err as Error)?.message ?? err).slice(0, 500);
    try {
      await this.publisher.send(
        {
          routingKey: dead ? deadLetterQueue(name) : retryQueue(name, attempt + 1),
          messageId: message.messageId,
          durable: true,
          contentType: message.contentType ?? 'application/json',
          headers: { ...headers, [ATTEMPT_HEADER]: attempt + 1, [ERROR_HEADER]: error, ...(dead && { [DEAD_LETTERED_AT_HEADER]: new Date().toISOString() }) },
        },
        message.body,
      );
      return dead ? 'dead_letter' : 'retry';
    } catch (publishError) {
      // the copy was not confirmed: keep the original (redelivery is harmless, consumers are idempotent)
      this.options.logger.warn({ err: publishError, queue: name }, 'could not move a failed message; requeued');
      return 'requeue';
    }
  }

  /** Messages waiting in a queue (name without the namespace); null when it does not exist yet or the broker is away. */
  async queueDepth(queue: string): Promise<number | null> {
    try {
      const { messageCount } = await this.connection.queueDeclare({ queue: this.queueName(queue), passive: true });
      return messageCount;
    } catch {
      return null;
    }
  }

  /** Resolves when the connection is open, or rejects after `timeoutMs`. */
  async ready(timeoutMs = 5000) {
    await this.connection.onConnect(timeoutMs, true);
  }

  async close() {
    await Promise.all(this.consumers.map((c) => c.close()));
    await this.publisher.close();
    await this.orderedPublisher?.close();
    await this.connection.close();
  }
}

export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
