import { envFlag } from '@fabline/shared/env';
import { z } from 'zod';

/** Gateway performance settings (merged into the gateway's env shape). */
export const perfEnvShape = {
  /** Processes serving the gateway (node:cluster); 1 serves from the main process. @default 1 */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** `undici`: kept-alive connection pool; `apollo`: @apollo/gateway's default make-fetch-happen. @default undici */
  SUBGRAPH_FETCHER: z.enum(['undici', 'apollo']).default('undici'),
  /** Share one subgraph call between identical in-flight queries of the same viewer. @default true */
  SUBGRAPH_DEDUPE: envFlag(true),
  /** Identical queries in flight at once (same viewer, no change in between) share one execution; see perf/inboundDedupe.ts. @default true */
  GATEWAY_INBOUND_DEDUPE: envFlag(true),
  /** `fabline`: query plans run by execution/executor.ts (plans and shapes compiled once per operation); `apollo`: @apollo/gateway's own executor. Both give the same answers. @default fabline */
  GATEWAY_EXECUTOR: z.enum(['fabline', 'apollo']).default('fabline'),
  /** Kept-alive connections per subgraph. @default 128 */
  SUBGRAPH_CONNECTIONS: z.coerce.number().int().min(1).default(128),
};
