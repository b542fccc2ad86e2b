import type { Metrics } from '@fabline/shared/metrics';
import { Counter, Histogram } from 'prom-client';

const COST_BUCKETS = [0, 10, 50, 100, 500, 1000, 5000, 10_000, 100_000];

/** Traffic-control metrics on the gateway's registry. */
export function createTrafficMetrics({ registry }: Metrics) {
  return {
    costEstimated: new Histogram({
      name: 'fabline_gateway_cost_estimated',
      help: 'Estimated cost of operations, by result (COST_OK or COST_ESTIMATED_TOO_EXPENSIVE) and mode',
      labelNames: ['result', 'mode'] as const,
      buckets: COST_BUCKETS,
      registers: [registry],
    }),
    costActual: new Histogram({
      name: 'fabline_gateway_cost_actual',
      help: 'Actual cost of executed operations, computed from the response',
      buckets: COST_BUCKETS,
      registers: [registry],
    }),
    refusals: new Counter({
      name: 'fabline_gateway_refusals_total',
      help: 'Requests refused by traffic control, by code',
      labelNames: ['code'] as const,
      registers: [registry],
    }),
    redisFaults: new Counter({
      name: 'fabline_gateway_redis_faults_total',
      help: 'Redis calls of traffic control that failed or timed out, by feature',
      labelNames: ['feature'] as const,
      registers: [registry],
    }),
  };
}

export type TrafficMetrics = ReturnType<typeof createTrafficMetrics>;
