import type { Bus } from '@fabline/shared/bus';
import { QUOTE_JOBS_QUEUE } from '@fabline/shared/events';
import type { Metrics } from '@fabline/shared/metrics';
import { Counter, Gauge, Histogram } from 'prom-client';

export const QUOTE_DLQ = `${QUOTE_JOBS_QUEUE}.dlq`;

/** Quote metrics, registered on the process's registry (mes and every price worker). */
export function createQuoteMetrics(metrics: Metrics, bus: Bus) {
  const registers = [metrics.registry];
  return {
    cacheLookups: new Counter({
      name: 'fabline_quote_cache_lookups_total',
      help: 'Quote cache lookups: cache="analysis" (by model sha256) or "price", result="hit"|"miss"',
      labelNames: ['cache', 'result'] as const,
      registers,
    }),
    analyses: new Counter({
      name: 'fabline_quote_analyses_total',
      help: 'Geometry analyses actually computed (single flight: identical concurrent quotes count once)',
      registers,
    }),
    jobDuration: new Histogram({
      name: 'fabline_quote_job_duration_seconds',
      help: 'Price job duration, by outcome (ready, failed, skipped, error)',
      labelNames: ['outcome'] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    failures: new Counter({
      name: 'fabline_quote_failures_total',
      help: 'Quotes that ended FAILED, by reason (a geometry error reason, MODEL_UNREADABLE, INTERNAL)',
      labelNames: ['reason'] as const,
      registers,
    }),
    queueDepth: new Gauge({
      name: 'fabline_quote_queue_depth',
      help: 'Messages waiting in the quote job queue and its dead-letter queue (read from the broker at scrape time)',
      labelNames: ['queue'] as const,
      registers,
      async collect() {
        const [jobs, dead] = await Promise.all([bus.queueDepth(QUOTE_JOBS_QUEUE), bus.queueDepth(QUOTE_DLQ)]);
        if (jobs !== null) this.set({ queue: 'jobs' }, jobs);
        if (dead !== null) this.set({ queue: 'dead-letter' }, dead);
      },
    }),
  };
}

export type QuoteMetrics = ReturnType<typeof createQuoteMetrics>;
