/**
 * Per-client limits a load generator would hit at once (it is one client): benchmarks measure
 * throughput and latency, so their stacks lift these. Everything else stays as configured.
 */
export const UNLIMITED_CLIENT_ENV = {
  RATE_LIMIT_REQUESTS: '{"default":1000000000,"ANONYMOUS":1000000000}',
  RATE_LIMIT_COST_POINTS: '{"default":1000000000,"ANONYMOUS":1000000000}',
  QUOTE_LIMIT_PER_MINUTE: '1000000000',
  // the estimate is still computed and recorded; a benchmark's query is not refused for it
  COST_BUDGETS: '{"default":1000000000,"ANONYMOUS":1000000000}',
} as const;
