import { baseEnvShape, envFlag, host, parseEnv, port } from '@fabline/shared/env';
import { z } from 'zod';

export const envShape = {
  ...baseEnvShape,
  CRM_PORT: port(4002),
  HOST: host(),
  CRM_DATABASE_URL: z.string().default('postgresql://postgres@127.0.0.1:5432/fabline_crm'),
  /** How long approve/reject waits for the shop to record the new status before answering. */
  STATUS_WAIT_MS: z.coerce.number().int().min(0).default(3000),
  /** signUp calls per minute from one address (counted in Redis). @default 20 */
  SIGNUP_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(20),
  /** logIn attempts per minute from one address. @default 30 */
  LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /**
   * Test and benchmark only: every order is approved as soon as its review opens, by the consumer,
   * in the same transaction (an automatic manager for pipeline fault tests). @default false
   */
  CRM_AUTO_APPROVE: envFlag(false),
};

export type CrmEnv = ReturnType<typeof loadEnv>;
/** Test switches are refused in production. */
export const loadEnv = (source: Record<string, string | undefined>) => parseEnv(envShape, source, { testOnly: ['CRM_AUTO_APPROVE'] });
