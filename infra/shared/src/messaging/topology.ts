import { EVENTS, QUOTE_JOBS_QUEUE } from '../contracts/events.ts';

/**
 * Every exchange and queue of the bus, in one table. The services assert exactly these at start
 * (`Bus.consume` with a `QueueSpec`), and `infra/deploy/rabbitmq/definitions.json` is generated
 * from the same table (`rabbitDefinitions`), so the broker's definitions and the code cannot drift.
 */

/** Delays before the 1st, 2nd, 3rd retry of a failed message; after the last one it is dead-lettered. */
export const RETRY_DELAYS_MS = [250, 1000, 4000] as const;

/** The header that counts how often a message was retried. */
export const ATTEMPT_HEADER = 'x-fabline-attempt';
/** The last failure of a message, set when it is retried or dead-lettered. */
export const ERROR_HEADER = 'x-fabline-error';
export const DEAD_LETTERED_AT_HEADER = 'x-fabline-dead-lettered-at';

export interface QueueSpec {
  /** Queue name without the namespace. */
  queue: string;
  /** Routing keys on the events exchange; empty for a work queue fed through the default exchange. */
  bindings: readonly string[];
  /** Arguments of the work queue itself (queue type, length limit, overflow). */
  arguments: Readonly<Record<string, string | number>>;
  /** The broker itself dead-letters rejected messages to `<queue>.dlq` (how the quote-jobs queue was first declared). */
  brokerDeadLetter?: boolean;
}

/** Messages the MES order queue holds before publishers get nacks (backpressure). */
export const MES_ORDER_QUEUE_MAX_LENGTH = 10_000;

export const QUEUES = {
  crmOrderPlaced: { queue: 'crm.order-placed', bindings: [EVENTS.orderPlaced, EVENTS.orderCancelled], arguments: {} },
  /**
   * Bounded: when full the broker nacks the publish (`reject-publish`), so the CRM's outbox keeps the
   * event and backs off instead of the MES being flooded. `.v2`: the first version was a classic queue
   * without a limit, and RabbitMQ refuses to redeclare a queue with other arguments.
   */
  mesOrderApproved: {
    queue: 'mes.order-approved.v2',
    bindings: [EVENTS.orderApproved, EVENTS.orderCancelled],
    arguments: { 'x-queue-type': 'quorum', 'x-max-length': MES_ORDER_QUEUE_MAX_LENGTH, 'x-overflow': 'reject-publish' },
  },
  shopOrderStatus: {
    queue: 'shop.order-status',
    bindings: [EVENTS.orderApproved, EVENTS.orderRejected, EVENTS.productionStageChanged],
    arguments: {},
  },
  /** Kept as first declared (broker dead-lettering to the DLQ), so existing queues stay valid. */
  quoteJobs: { queue: QUOTE_JOBS_QUEUE, bindings: [], arguments: {}, brokerDeadLetter: true },
  /** Price workers analyse every new model off the upload request (issue 4). */
  modelAnalysis: { queue: 'mes.model-analysis', bindings: [EVENTS.modelUploaded], arguments: {} },
} as const satisfies Record<string, QueueSpec>;

export const CONSUMER_QUEUES: readonly QueueSpec[] = Object.values(QUEUES);

export const retryQueue = (name: string, attempt: number) => `${name}.retry.${attempt}`;
export const deadLetterQueue = (name: string) => `${name}.dlq`;

export interface QueueDeclaration {
  name: string;
  arguments: Record<string, string | number>;
}

/** The queues one spec needs under `namespace`: the work queue, a retry queue per delay, the dead-letter queue. */
export function queueDeclarations(namespace: string, spec: QueueSpec): QueueDeclaration[] {
  const name = `${namespace}.${spec.queue}`;
  const args: Record<string, string | number> = { ...spec.arguments };
  if (spec.brokerDeadLetter) Object.assign(args, { 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': deadLetterQueue(name) });
  // a broker-dead-lettered queue retries by redelivery (its consumer decides), so it has no retry queues
  const retries = spec.brokerDeadLetter ? [] : RETRY_DELAYS_MS;
  return [
    { name, arguments: args },
    ...retries.map((delay, index) => ({
      name: retryQueue(name, index + 1),
      // a retry queue holds a message for its delay, then the broker moves it back to the work queue
      arguments: { 'x-message-ttl': delay, 'x-dead-letter-exchange': '', 'x-dead-letter-routing-key': name },
    })),
    { name: deadLetterQueue(name), arguments: {} },
  ];
}

export const eventsExchange = (namespace: string) => `${namespace}.events`;

/** The RabbitMQ definitions (management import format) of a namespace's whole topology. */
export function rabbitDefinitions(namespace: string, vhost = '/') {
  const exchange = eventsExchange(namespace);
  return {
    queues: CONSUMER_QUEUES.flatMap((spec) =>
      queueDeclarations(namespace, spec).map((q) => ({ name: q.name, vhost, durable: true, auto_delete: false, arguments: q.arguments })),
    ),
    exchanges: [{ name: exchange, vhost, type: 'topic', durable: true, auto_delete: false, internal: false, arguments: {} }],
    bindings: CONSUMER_QUEUES.flatMap((spec) =>
      spec.bindings.map((routingKey) => ({
        source: exchange,
        vhost,
        destination: `${namespace}.${spec.queue}`,
        destination_type: 'queue',
        routing_key: routingKey,
        arguments: {},
      })),
    ),
    // limits live in queue arguments (asserted by the code), not policies, so a policy cannot silently override them
    policies: [] as unknown[],
  };
}
