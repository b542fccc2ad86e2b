import { Counter, Gauge, Histogram } from 'prom-client';
import type { Metrics } from './metrics.ts';

/** What a consumer reports: outcomes, messages held, lag from publish to handling, and the depth of its queues. */
export interface BusMetrics {
  messages: Counter<'queue' | 'outcome'>;
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
    messages: new Counter({
      name: 'fabline_consumer_messages_total',
      help: 'Messages handled by outcome: ack, retry (sent to a delay queue), dead_letter, requeue',
      labelNames: ['queue', 'outcome'] as const,
      registers,
    }),
    inFlight: new Gauge({
      name: 'fabline_consumer_in_flight',
      help: 'Messages a consumer holds unacknowledged (never more than its prefetch)',
      labelNames: ['queue'] as const,
      registers,
    }),
    lag: new Histogram({
      name: 'fabline_consumer_lag_seconds',
      help: 'Time from publish to the start of handling',
      labelNames: ['queue'] as const,
      buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}
