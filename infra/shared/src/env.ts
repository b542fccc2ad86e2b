import { z } from 'zod';

/**
 * The standard OpenTelemetry variables Fabline understands (part of every process's env).
 * Tracing is off unless an OTLP endpoint is set: then only the no-op API runs.
 */
export const tracingEnvShape = {
  /** Base URL of an OTLP/HTTP collector; traces go to `<url>/v1/traces`. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  /** Full URL for traces; wins over OTEL_EXPORTER_OTLP_ENDPOINT. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.string().url().optional(),
  /** @default the process name */
  OTEL_SERVICE_NAME: z.string().optional(),
  /** @default parentbased_always_on */
  OTEL_TRACES_SAMPLER: z
    .enum(['always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio'])
    .default('parentbased_always_on'),
  /** Ratio for the `*traceidratio` samplers. @default 1 */
  OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).default(1),
  /** `true` turns tracing off even with an endpoint. @default false */
  OTEL_SDK_DISABLED: z.enum(['true', 'false']).default('false'),
  /** Milliseconds between two exports of finished spans. @default 5000 */
  OTEL_BSP_SCHEDULE_DELAY: z.coerce.number().int().positive().default(5000),
};

/** An on/off variable: `true`/`1` or `false`/`0`, read as a boolean. */
export const envFlag = (fallback: boolean) =>
  z
    .enum(['true', 'false', '1', '0'])
    .default(fallback ? 'true' : 'false')
    .transform((value) => value === 'true' || value === '1');

/** Variables every Fabline process understands, with defaults for local use. */
export const baseEnvShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Prefix for Redis keys, pub/sub channels, RabbitMQ exchanges and queues: two runs with different namespaces never collide. */
  NAMESPACE: z
    .string()
    .regex(/^[a-z0-9_-]+$/)
    .default('fabline'),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  RABBITMQ_URL: z.string().url().default('amqp://guest:guest@127.0.0.1:5672'),
  /** Signs the short-lived tokens the gateway attaches to every subgraph request. */
  INTERNAL_SECRET: z.string().min(16).default('dev-internal-secret-change-me'),
  /** Signs user sessions (issued by crm, verified at the gateway). */
  JWT_SECRET: z.string().min(16).default('dev-jwt-secret-change-me-please'),
  ...tracingEnvShape,
};

export const DEV_SECRETS = new Set(['dev-internal-secret-change-me', 'dev-jwt-secret-change-me-please']);

export class EnvError extends Error {
  override name = 'EnvError';
}

/**
 * Validates `source` against `shape`; the only place a process reads its environment.
 * In production the development secrets are refused.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, source: Record<string, string | undefined>) {
  const result = z.object(shape).safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new EnvError(`invalid environment:\n${lines.join('\n')}`);
  }
  const env = result.data as z.infer<z.ZodObject<S>>;
  const record = env as Record<string, unknown>;
  if (record.NODE_ENV === 'production') {
    for (const key of ['INTERNAL_SECRET', 'JWT_SECRET']) {
      if (DEV_SECRETS.has(String(record[key]))) {
        throw new EnvError(`${key} still has its development value; set a real secret in production`);
      }
    }
  }
  return env;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The address a process listens on (`HOST`); unset: 127.0.0.1, and 0.0.0.0 in production (containers set it too). */
export const host = () => z.string().min(1).optional();
export const listenHost = (env: { HOST?: string; NODE_ENV?: string }) => env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
