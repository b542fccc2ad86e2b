/**
 * Per-client limits a load generator would hit at once (it is one client): benchmarks measure
 * throughput and latency, so their stacks lift these. Everything else stays as configured.
 */
export const UNLIMITED_CLIENT_ENV = {
  RATE_LIMIT_REQUESTS: '{"default":1000000000,"ANONYMOUS":1000000000}',
  // a federation-bench query is estimated at thousands of points: at thousands of requests per second
  // a budget of 10^9 points per minute ran out mid-run (2^53 is the most a budget can be)
  RATE_LIMIT_COST_POINTS: '{"default":1000000000000000,"ANONYMOUS":1000000000000000}',
  QUOTE_LIMIT_PER_MINUTE: '1000000000',
  // the estimate is still computed and recorded; a benchmark's query is not refused for it
  COST_BUDGETS: '{"default":1000000000,"ANONYMOUS":1000000000}',
} as const;
