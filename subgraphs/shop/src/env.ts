import { baseEnvShape, host, parseEnv, port } from '@fabline/shared/env';
import { uploadEnvShape } from '@fabline/shared/multipart';
import { orderEventLogEnvShape } from '@fabline/shared/orderEventLog';
import { storageEnvShape } from '@fabline/shared/storageConfig';
import { z } from 'zod';

export const envShape = {
  ...baseEnvShape,
  SHOP_PORT: port(4001),
  HOST: host(),
  SHOP_DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/fabline_shop'),
  /** Where uploaded models are stored (the local storage adapter). */
  DATA_DIR: z.string().default(new URL('../../../.data', import.meta.url).pathname),
  /** The mes subgraph, asked for quote details when an order is placed. */
  MES_URL: z.string().url().default('http://127.0.0.1:4003/graphql'),
  ...uploadEnvShape,
  ...storageEnvShape,
  ...orderEventLogEnvShape,
  /** How long a `Model3D.downloadUrl` or `createUploadUrl` link works. @default 900 (15 minutes) */
  FILE_URL_TTL_SECONDS: z.coerce.number().int().positive().default(900),
  /**
   * Status events the shop applies in one transaction. Batches apply one after another, in delivery
   * order, so one order's events keep their sequence; the consumer prefetches two batches (one
   * applied, the next collecting). @default 100
   */
  SHOP_STATUS_BATCH: z.coerce.number().int().positive().default(100),
};

export type ShopEnv = ReturnType<typeof loadEnv>;
export const loadEnv = (source: Record<string, string | undefined>) => parseEnv(envShape, source);
