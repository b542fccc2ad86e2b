import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from '../platform/metrics.ts';

/** What happened to a handled message: acked, sent to a delay queue, dead-lettered, requeued or dropped. */
export type ConsumedOutcome = 'ack' | 'retry' | 'dead_letter' | 'requeue' | 'drop';

/**
 * The bus's Prometheus metrics, one set per process: publishes by destination and outcome; per
 * consumed queue the outcome of each message, the time its handler took, messages held, lag from
 * publish to handling, and the depth of its queues. Labels are event types and queue names
 * without the namespace.
 */
export interface BusMetrics {
  published: Counter<'destination' | 'outcome'>;
  consumed: Counter<'queue' | 'outcome'>;
  handleDuration: Histogram<'queue'>;
  inFlight: Gauge<'queue'>;
  lag: Histogram<'queue'>;
}

export function createBusMetrics(metrics: Metrics, depth: () => Promise<{ queue: string; depth: number }[]>): BusMetrics {
  const registers = [metrics.registry];
  new Gauge({
    name: 'fabline_bus_queue_depth',
    help: 'Messages waiting in the queues this process consumes (work, retry and dead-letter queues)',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const { queue, depth: value } of await depth()) this.set({ queue }, value);
    },
  });
  return {
    published: new Counter({
      name: 'fabline_bus_published_total',
      help: 'Messages published (events by type, jobs by queue), by outcome (confirmed, failed)',
      labelNames: ['destination', 'outcome'] as const,
      registers,
    }),
    consumed: new Counter({
      name: 'fabline_bus_consumed_total',
      help: 'Messages handled, by queue and outcome: ack, retry (sent to a delay queue), dead_letter, requeue, drop',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    }),
    handleDuration: new Histogram({
      name: 'fabline_bus_handle_duration_seconds',
      help: 'Time a consumer spent on one message, by queue',
      labelNames: ['queue'] as const,
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers,
    }),
    inFlight: new Gauge({
      name: 'fabline_bus_in_flight',
      help: 'Messages a consumer holds unacknowledged (never more than its prefetch)',
      labelNames: ['queue'] as const,
      registers,
    }),
    lag: new Histogram({
      name: 'fabline_bus_lag_seconds',
      help: 'Time from publish to the start of handling',
      labelNames: ['queue'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}

/** Counts a publish as confirmed or failed under `destination`. */
export async function countPublish<R>(metrics: BusMetrics | undefined, destination: string, publish: () => Promise<R>): Promise<R> {
  if (!metrics) return publish();
  try {
    const result = await publish();
    metrics.published.inc({ destination, outcome: 'confirmed' });
    return result;
  } catch (error) {
    metrics.published.inc({ destination, outcome: 'failed' });
    throw error;
  }
}
