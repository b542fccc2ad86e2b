import { baseEnvShape, envFlag, host, parseEnv, port } from '@fabline/shared/env';
import { uploadEnvShape } from '@fabline/shared/multipart';
import { z } from 'zod';
import { trustProxyEnv } from './clientAddress.ts';
import { studioEnvShape } from './observability/studio.ts';
import { perfEnvShape } from './perf/env.ts';
import { trafficEnvShape } from './traffic/config.ts';

export const envShape = {
  ...baseEnvShape,
  ...perfEnvShape,
  GATEWAY_PORT: port(4000),
  HOST: host(),
  /** The gateway's /metrics are served here, not on the public GATEWAY_PORT. @default 9464 */
  METRICS_PORT: port(9464),
  /** Interface METRICS_PORT listens on; `0.0.0.0` where Prometheus scrapes the pod from elsewhere (k8s). @default 127.0.0.1 */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Proxies allowed to name the client in X-Forwarded-For (per-IP limits): addresses, CIDR ranges or loopback, linklocal, uniquelocal, comma-separated. @default loopback outside production, none in production */
  TRUST_PROXY: trustProxyEnv,
  SHOP_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
  CRM_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
  MES_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** The composed supergraph (`pnpm compose`). */
  SUPERGRAPH_PATH: z.string().default(new URL('../../schema/supergraph.graphql', import.meta.url).pathname),
  /** Subscription connections (WebSocket + SSE) one viewer may hold on one replica. @default 20 */
  SUBSCRIPTION_MAX_CONNECTIONS_PER_CLIENT: z.coerce.number().int().positive().default(20),
  /** Active subscriptions on one WebSocket connection. @default 50 */
  SUBSCRIPTION_MAX_PER_CONNECTION: z.coerce.number().int().positive().default(50),
  /** Events queued for a connection beyond which the client is cut off (close 1013). @default 100 */
  SUBSCRIPTION_MAX_PENDING_EVENTS: z.coerce.number().int().positive().default(100),
  /** Bytes in a connection's send buffer beyond which the client is cut off. @default 1 MiB */
  SUBSCRIPTION_MAX_BUFFERED_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  ...uploadEnvShape,
  /** How long a verified partner API key is remembered. */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
  ...trafficEnvShape,
  ...studioEnvShape,
  /** Redis response cache; `false` turns it off. @default true */
  CACHE_ENABLED: envFlag(true),
  /** Answer hits of operations already cached once before Apollo parses them (see cache/fastPath.ts); `false` sends every request through Apollo. @default true */
  CACHE_FAST_PATH: envFlag(true),
  /** Redis holding the response cache. @default REDIS_URL */
  CACHE_REDIS_URL: z.string().url().optional(),
  /** A cache command slower than this is abandoned and the request goes to the subgraphs. @default 50 */
  CACHE_TIMEOUT_MS: z.coerce.number().int().positive().default(50),
  /** Upper bound on how long an entry lives, whatever the hints say. @default 3600 */
  CACHE_MAX_TTL_S: z.coerce.number().int().positive().default(3600),
  /** Bytes of cached responses each process also keeps in memory, in front of Redis (see cache/nearCache.ts); 0 turns the copy off. @default 64 MB */
  CACHE_NEAR_MAX_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .default(64 * 1024 * 1024),
  /** How long a process serves from memory without proof that it heard every invalidation, and how long an invalidation waits for a silent replica. @default 250 */
  CACHE_NEAR_LEASE_MS: z.coerce.number().int().min(20).max(5000).default(250),
  /** Responses larger than this are not cached. @default 1 MB */
  CACHE_MAX_ENTRY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
};

export type GatewayEnv = ReturnType<typeof loadEnv>;
export const loadEnv = (source: Record<string, string | undefined>) => parseEnv(envShape, source);
