import { z } from 'zod';

const flag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((v) => v === 'true' || v === '1');

/** Gateway performance settings (merged into the gateway's env shape). */
export const perfEnvShape = {
  /** Processes serving the gateway (node:cluster); 1 serves from the main process. @default 1 */
  GATEWAY_WORKERS: z.coerce.number().int().min(1).max(64).default(1),
  /** `undici`: kept-alive connection pool; `apollo`: @apollo/gateway's default make-fetch-happen. @default undici */
  SUBGRAPH_FETCHER: z.enum(['undici', 'apollo']).default('undici'),
  /** Share one subgraph call between identical in-flight queries of the same viewer. @default true */
  SUBGRAPH_DEDUPE: flag(true),
  /** Identical queries in flight at once (same viewer, no change in between) share one execution; see perf/inboundDedupe.ts. @default true */
  GATEWAY_INBOUND_DEDUPE: flag(true),
  /** Kept-alive connections per subgraph. @default 128 */
  SUBGRAPH_CONNECTIONS: z.coerce.number().int().min(1).default(128),
};
