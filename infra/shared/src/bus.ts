import { randomUUID } from 'node:crypto';
import { type AsyncMessage, Connection, ConsumerStatus, type Publisher } from 'rabbitmq-client';
import type { Logger } from './logger.ts';
import { traceConsume, tracePublish } from './tracing.ts';

export { ConsumerStatus };

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
}

export interface ConsumeOptions {
  /** Queue name without the namespace. */
  queue: string;
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

/**
 * The one RabbitMQ wrapper: a topic exchange `<namespace>.events` for domain events, durable
 * queues, publisher confirms, consumers with a prefetch limit. Reconnects on its own.
 */
export class Bus {
  readonly connection: Connection;
  readonly exchange: string;
  private readonly publisher: Publisher;
  private readonly consumers: { close(): Promise<void> }[] = [];

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
  }

  queueName(queue: string) {
    return `${this.options.namespace}.${queue}`;
  }

  /** Publishes an event and resolves once the broker confirmed it. */
  async publish<T>(type: string, data: T, id: string = randomUUID()): Promise<EventEnvelope<T>> {
    const event: EventEnvelope<T> = { id, type, occurredAt: new Date().toISOString(), data };
    // trace context rides in the message headers (W3C traceparent) so consumers continue the trace
    await tracePublish(`${this.exchange} ${type}`, (headers) =>
      this.publisher.send({ exchange: this.exchange, routingKey: type, messageId: id, durable: true, contentType: 'application/json', headers }, event),
    );
    return event;
  }

  /** Sends to a work queue (through the default exchange), confirmed. */
  async send<T>(queue: string, data: T, id: string = randomUUID()): Promise<EventEnvelope<T>> {
    const event: EventEnvelope<T> = { id, type: queue, occurredAt: new Date().toISOString(), data };
    await tracePublish(this.queueName(queue), (headers) =>
      this.publisher.send({ routingKey: this.queueName(queue), messageId: id, durable: true, contentType: 'application/json', headers }, event),
    );
    return event;
  }

  /** Declares the queue (durable) and its bindings, then consumes with a prefetch limit. A throwing handler requeues. */
  consume({ queue, bindings = [], prefetch = 10, deadLetter = false }: ConsumeOptions, handler: EventHandler) {
    const name = this.queueName(queue);
    const logger = this.options.logger.child({ queue: name });
    const dlq = `${name}.dlq`;
    // declared before the consumer's first failure can dead-letter anything (two deliveries away)
    const declareDlq = () =>
      this.connection.queueDeclare({ queue: dlq, durable: true }).catch((err: unknown) => logger.warn({ err, dlq }, 'dead-letter queue not declared'));
    if (deadLetter) void declareDlq();
    const consumer = this.connection.createConsumer(
      {
        queue: name,
        queueOptions: {
          durable: true,
          ...(deadLetter && { arguments: { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': dlq } }),
        },
        qos: { prefetchCount: prefetch },
        exchanges: bindings.length ? [{ exchange: this.exchange, type: 'topic', durable: true }] : [],
        queueBindings: bindings.map((routingKey) => ({ exchange: this.exchange, routingKey })),
      },
      // the handler runs in a consumer span continuing the publisher's trace (headers)
      (message) =>
        traceConsume(name, message.headers, async () => {
          const event = message.body as EventEnvelope;
          try {
            return (await handler(event, message)) ?? ConsumerStatus.ACK;
          } catch (err) {
            logger.error({ err, eventId: event?.id, type: event?.type, redelivered: message.redelivered }, 'event handler failed');
            // a first failure is retried once; a redelivered message that fails again is dropped, or dead-lettered with `deadLetter`
            return message.redelivered ? ConsumerStatus.DROP : ConsumerStatus.REQUEUE;
          }
        }),
    );
    consumer.on('error', (err) => {
      // a queue first declared without dead-lettering keeps its old arguments; the broker refuses the new ones
      if (deadLetter && (err as { code?: string }).code === 'PRECONDITION_FAILED') {
        logger.error(
          { err },
          `queue ${name} exists with other arguments (declared before dead-lettering); delete it once (rabbitmqctl delete_queue ${name}) or use another NAMESPACE`,
        );
      } else logger.warn({ err }, 'consumer error');
    });
    if (deadLetter) consumer.on('ready', () => void declareDlq());
    this.consumers.push(consumer);
    return consumer;
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
    await this.connection.close();
  }
}

export const redactUrl = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]+@/, '//$1:***@');
