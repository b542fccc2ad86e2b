import { z } from 'zod';

/** The web server's environment (one process serves one built app). */
export const webEnvShape = {
  /** Which app to serve: web/<app>/dist. @default shop */
  WEB_APP: z.enum(['shop', 'crm', 'mes']).default('shop'),
  /** @default the app's port: shop 3000, crm 3001, mes 3002 */
  WEB_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** @default 0.0.0.0 (in a container every interface) */
  WEB_HOST: z.string().default('0.0.0.0'),
  /** Where /graphql and /files/ are proxied. @default http://localhost:4000/graphql */
  GATEWAY_URL: z.string().url().default('http://localhost:4000/graphql'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export type WebEnv = z.infer<z.ZodObject<typeof webEnvShape>>;

export function loadEnv(source: Record<string, string | undefined>): WebEnv {
  return z.object(webEnvShape).parse(source);
}
