import { z } from 'zod';

const jsonRecord = (fallback: Record<string, number>) =>
  z
    .string()
    .transform((text, ctx) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of numbers, e.g. {"default":100}' });
        return z.NEVER;
      }
    })
    .pipe(z.record(z.string(), z.number().int().min(0)))
    .default(fallback);
const count = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

/**
 * Traffic control (query cost, operation limits, rate limits, persisted queries, the partner
 * contract): all on by default with generous limits. Budgets are keyed by role (`ANONYMOUS`,
 * `CUSTOMER`, `MANAGER`, `OPERATOR`, `ADMIN`, `PARTNER`) or partner plan (`plan:<name>`, which
 * wins over `PARTNER`), with `default` for anything else.
 */
export const trafficEnvShape = {
  /** `off` disables every traffic control at once (benchmarks, debugging). @default on */
  TRAFFIC_CONTROL: z.enum(['on', 'off']).default('on'),
  /** `enforce` refuses over-budget operations before any subgraph call; `measure` only records. @default enforce */
  COST_MODE: z.enum(['enforce', 'measure']).default('enforce'),
  /** Maximum estimated cost of one operation. */
  COST_BUDGETS: jsonRecord({
    default: 1000,
    ANONYMOUS: 500,
    CUSTOMER: 2000,
    PARTNER: 2000,
    'plan:premium': 10_000,
    MANAGER: 5000,
    OPERATOR: 5000,
    ADMIN: 10_000,
  }),
  /** List size assumed for lists without `@listSize`. @default 10 */
  COST_DEFAULT_LIST_SIZE: count(10),
  /** Requests per client per window. */
  RATE_LIMIT_REQUESTS: jsonRecord({ default: 1200, ANONYMOUS: 600, 'plan:premium': 6000 }),
  /** Estimated cost points per client per window. */
  RATE_LIMIT_COST_POINTS: jsonRecord({ default: 100_000, ANONYMOUS: 30_000, 'plan:premium': 500_000 }),
  /** @default 60 */
  RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().positive().default(60),
  /**
   * Most requests of one client a replica may reserve per Redis call and then admit locally (a
   * lease: at most an eighth of what is left, so limits stay exact near the end of a budget);
   * 1 asks Redis for every request. @default 32
   */
  RATE_LIMIT_LEASE: z.coerce.number().int().positive().default(32),
  /** Whether requests pass (`open`) or are refused (`closed`) while Redis is unreachable. @default open */
  RATE_LIMIT_FAILURE_MODE: z.enum(['open', 'closed']).default('open'),
  /** How long a Redis call of traffic control may take before it counts as a fault. @default 250 */
  TRAFFIC_REDIS_TIMEOUT_MS: z.coerce.number().int().positive().default(250),
  /** Automatic persisted queries (hashes in Redis). @default 86400 (a day); 0 turns APQ off */
  APQ_TTL_SECONDS: count(86_400),
  PERSISTED_QUERY_MANIFEST_PATH: z.string().default(new URL('../../../schema/persisted-query-manifest.json', import.meta.url).pathname),
  /**
   * Only manifest operations for anonymous and first-party clients (partners with an API key may
   * send any operation). `auto`: on in production. @default auto
   */
  PERSISTED_QUERIES_ONLY: z.enum(['auto', 'on', 'off']).default('auto'),
  /** The partner contract (`npm run generate` writes it). */
  CONTRACT_SCHEMA_PATH: z.string().default(new URL('../../../schema/public.graphql', import.meta.url).pathname),
  /** `auto`: introspection for everyone outside production, for signed-in clients and partners in production. @default auto */
  INTROSPECTION: z.enum(['auto', 'on', 'authenticated']).default('auto'),
  MAX_DEPTH: count(12),
  MAX_ALIASES: count(30),
  MAX_ROOT_FIELDS: count(20),
  /** Parser token limit (graphql-js `maxTokens`). @default 5000 */
  MAX_TOKENS: count(5000),
  MAX_DIRECTIVES_PER_FIELD: count(5),
  /** Operations in one batched HTTP request. @default 10 */
  MAX_BATCH: count(10),
};

export type TrafficEnv = { [K in keyof typeof trafficEnvShape]: z.infer<(typeof trafficEnvShape)[K]> };

/** The budget of a viewer: plan first, then role, then `default`. */
export function budgetFor(budgets: Record<string, number>, role: string, plan?: string): number {
  return (plan !== undefined ? budgets[`plan:${plan}`] : undefined) ?? budgets[role] ?? budgets.default ?? Number.POSITIVE_INFINITY;
}
