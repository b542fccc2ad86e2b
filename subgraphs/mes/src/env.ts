import { baseEnvShape, host, parseEnv, port } from '@fabline/shared/env';
import { storageEnvShape } from '@fabline/shared/storageConfig';
import { MES_ORDER_QUEUE_MAX_LENGTH } from '@fabline/shared/topology';
import { z } from 'zod';

export const envShape = {
  ...baseEnvShape,
  MES_PORT: port(4003),
  HOST: host(),
  /** Health and metrics port of a price worker (0: any free port). */
  WORKER_PORT: port(0),
  MES_DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/fabline_mes'),
  /** The shop subgraph, asked where a model's bytes are. */
  SHOP_URL: z.string().url().default('http://127.0.0.1:4001/graphql'),
  /** Where the price workers read model files (the shop's storage folder). */
  DATA_DIR: z.string().default(new URL('../../../.data', import.meta.url).pathname),
  /** How long requestQuote waits for a worker before answering PENDING. */
  QUOTE_WAIT_MS: z.coerce.number().int().min(0).default(5000),
  /** How long approve/advance waits for the shop to record the new status. */
  STATUS_WAIT_MS: z.coerce.number().int().min(0).default(3000),
  QUOTE_VALID_DAYS: z.coerce.number().int().positive().default(14),
  /** Lifetime of cached analyses (by model file) and prices in Redis. */
  QUOTE_CACHE_TTL_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(7 * 86_400),
  /** A worker's analysis lock expires this long after its last refresh (a killed worker's lock frees itself). */
  QUOTE_LOCK_TTL_MS: z.coerce.number().int().min(500).default(30_000),
  /** Quote jobs a worker holds at once. */
  WORKER_PREFETCH: z.coerce.number().int().positive().default(4),
  /** requestQuote calls per account per minute (counted in Redis). @default 60 */
  QUOTE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(60),
  ...storageEnvShape,
  /** Uploads up to this size are analysed as soon as they are stored (0: none; larger ones at their first quote). @default 256 MB */
  ANALYSIS_MAX_BYTES: z.coerce
    .number()
    .int()
    .nonnegative()
    .default(256 * 1024 * 1024),
  /**
   * Approved orders the MES takes from its queue at once (consumer prefetch). It applies them in
   * batches of half the prefetch, one transaction each, while the other half is delivered. @default 100
   */
  MES_ORDER_PREFETCH: z.coerce.number().int().positive().default(100),
  /**
   * Length limit of the approved-orders queue; beyond it publishers get nacks. Changing it changes the
   * queue's arguments (the broker refuses them for an existing queue): tests use their own namespace.
   * @default 10000 (MES_ORDER_QUEUE_MAX_LENGTH in topology.ts, as in definitions.json)
   */
  MES_ORDER_QUEUE_MAX_LENGTH: z.coerce.number().int().positive().default(MES_ORDER_QUEUE_MAX_LENGTH),
  /** Test only: the order consumer waits this long per message (before each batch), to show backpressure. @default 0 */
  MES_CONSUMER_DELAY_MS: z.coerce.number().int().min(0).default(0),
  /**
   * Test and benchmark only: an approved order is moved straight to this stage by the consumer, one
   * event per stage, in the same transaction (an automatic operator). Empty: operators move it. @default ''
   */
  MES_AUTO_ADVANCE_TO: z.enum(['', 'PRINTING', 'POST_PROCESSING', 'QUALITY_CHECK', 'READY']).default(''),
};

export type MesEnv = ReturnType<typeof loadEnv>;
/** Test switches are refused in production. */
export const loadEnv = (source: Record<string, string | undefined>) =>
  parseEnv(envShape, source, { testOnly: ['MES_AUTO_ADVANCE_TO', 'MES_CONSUMER_DELAY_MS'] });
