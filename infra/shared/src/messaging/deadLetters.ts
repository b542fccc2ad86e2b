import type { Bus } from './bus.ts';
import { ATTEMPT_HEADER, CONSUMER_QUEUES, DEAD_LETTERED_AT_HEADER, deadLetterQueue, ERROR_HEADER } from './topology.ts';

/**
 * Dead letters, for admins: list and inspect the messages that kept failing, and replay them to
 * their work queue once the cause is fixed. Listing takes messages with `basic.get` and gives them
 * all back (nack, requeue) when done, so looking never removes anything.
 */

export interface DeadLetter {
  queue: string;
  messageId: string | null;
  type: string | null;
  attempts: number;
  error: string | null;
  deadLetteredAt: string | null;
  /** The message as published (JSON). */
  body: string;
}

/** Queues (names without the namespace) that have a dead-letter queue. */
export const deadLetterQueues = () => CONSUMER_QUEUES.map((spec) => spec.queue);

/** Longest walk through a dead-letter queue in one call: messages are held unacknowledged meanwhile. */
const MAX_SCAN = 10_000;

interface Taken {
  deliveryTag: number;
  letter: DeadLetter;
  body: unknown;
  contentType: string | undefined;
}

/** Takes up to `limit` messages off `<queue>.dlq` on a fresh channel; closing the channel requeues whatever was not acked. */
async function take(bus: Bus, queue: string, limit: number) {
  const ch = await bus.connection.acquire();
  const taken: Taken[] = [];
  try {
    while (taken.length < limit) {
      const message = await ch.basicGet({ queue: deadLetterQueue(bus.queueName(queue)) });
      if (!message) break;
      const headers = (message.headers ?? {}) as Record<string, unknown>;
      const body = message.body;
      const envelope = (typeof body === 'object' && body !== null ? body : {}) as { type?: string };
      taken.push({
        deliveryTag: message.deliveryTag,
        body,
        contentType: message.contentType,
        letter: {
          queue,
          messageId: message.messageId ?? null,
          type: envelope.type ?? null,
          attempts: Number(headers[ATTEMPT_HEADER] ?? 0),
          error: headers[ERROR_HEADER] == null ? null : String(headers[ERROR_HEADER]),
          deadLetteredAt: headers[DEAD_LETTERED_AT_HEADER] == null ? null : String(headers[DEAD_LETTERED_AT_HEADER]),
          body: Buffer.isBuffer(body) ? body.toString('utf8') : JSON.stringify(body),
        },
      });
    }
  } catch (error) {
    await ch.close().catch(() => {});
    throw error;
  }
  return { ch, taken };
}

/** The first `first` dead letters of `queue`, oldest first; they stay in the queue. */
export async function listDeadLetters(bus: Bus, queue: string, first: number): Promise<DeadLetter[]> {
  const { ch, taken } = await take(bus, queue, first);
  await ch.close();
  return taken.map((t) => t.letter);
}

/**
 * Sends dead letters back to their work queue with a fresh attempt count: the one with
 * `messageId`, or all when it is omitted. Each is removed from the DLQ only after the broker
 * confirmed the copy. Returns how many were replayed.
 */
export async function replayDeadLetters(bus: Bus, queue: string, messageId?: string): Promise<number> {
  const { ch, taken } = await take(bus, queue, MAX_SCAN);
  const publisher = bus.connection.createPublisher({ confirm: true });
  let replayed = 0;
  try {
    for (const t of taken) {
      if (messageId !== undefined && t.letter.messageId !== messageId) continue;
      await publisher.send(
        {
          routingKey: bus.queueName(queue),
          messageId: t.letter.messageId ?? undefined,
          durable: true,
          contentType: t.contentType,
          headers: { [ATTEMPT_HEADER]: 0 },
        },
        t.body,
      );
      ch.basicAck({ deliveryTag: t.deliveryTag });
      replayed++;
    }
  } finally {
    await publisher.close();
    // the others go back to the dead-letter queue
    await ch.close();
  }
  return replayed;
}
