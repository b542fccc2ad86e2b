import { baseEnvShape, parseEnv, port } from '@fabline/shared/env';
import { z } from 'zod';
import { perfEnvShape } from './perf/env.ts';

export const envShape = {
  ...baseEnvShape,
  ...perfEnvShape,
  GATEWAY_PORT: port(4000),
  SHOP_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
  CRM_URL: z.string().url().default('http://127.0.0.1:4002/graphql'),
  MES_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  /** The composed supergraph (`pnpm compose`). */
  SUPERGRAPH_PATH: z.string().default(new URL('../../schema/supergraph.graphql', import.meta.url).pathname),
  /** @default 200 MB */
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(200 * 1024 * 1024),
  MAX_UPLOAD_FILES: z.coerce.number().int().positive().default(1),
  /** How long a verified partner API key is remembered. */
  API_KEY_CACHE_MS: z.coerce.number().int().min(0).default(60_000),
};

export type GatewayEnv = ReturnType<typeof loadEnv>;
export const loadEnv = (source: Record<string, string | undefined>) => parseEnv(envShape, source);
