import type { Metrics } from '@fabline/shared/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

export type SubscriptionMetrics = ReturnType<typeof createSubscriptionMetrics>;

/** Connections, subscriptions, deliveries, latency and drops, on the process registry. */
export function createSubscriptionMetrics({ registry }: Pick<Metrics, 'registry'>) {
  const registers = [registry];
  return {
    connections: new Gauge({ name: 'fabline_subscription_connections', help: 'Open subscription connections', labelNames: ['transport'] as const, registers }),
    subscriptions: new Gauge({ name: 'fabline_subscriptions_active', help: 'Active subscriptions by field', labelNames: ['field'] as const, registers }),
    delivered: new Counter({
      name: 'fabline_subscription_events_delivered_total',
      help: 'Events queued to subscribers, by field',
      labelNames: ['field'] as const,
      registers,
    }),
    resolutions: new Counter({
      name: 'fabline_subscription_resolutions_total',
      help: 'Federated payload resolutions (one per event and distinct operation and viewer)',
      registers,
    }),
    latency: new Histogram({
      name: 'fabline_subscription_delivery_seconds',
      help: 'From the status change being stored to its payload being queued to the subscriber',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    drops: new Counter({
      name: 'fabline_subscription_drops_total',
      help: 'Clients cut off or refused, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}
