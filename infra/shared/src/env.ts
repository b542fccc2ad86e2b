import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
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

const SECRETS = ['INTERNAL_SECRET', 'JWT_SECRET'] as const;
type SecretName = (typeof SECRETS)[number];

/** Shared by every process of this checkout (gateway, subgraphs, workers, tests that sign tokens). */
const DEVELOPMENT_SECRETS_FILE = new URL('../../../.data/dev-secrets.json', import.meta.url).pathname;
let developmentSecrets: Record<SecretName, string> | undefined;

/**
 * Outside production a secret nobody set is generated once per checkout (`.data/dev-secrets.json`,
 * readable by its owner only), so no secret that forges tokens is written in the source. Processes
 * starting together race to create the file: each writes its own candidate and links it into
 * place, which only the first succeeds at; every one then reads the winner.
 */
function developmentSecret(name: SecretName): string {
  if (!developmentSecrets) {
    let text: string | undefined;
    try {
      text = readFileSync(DEVELOPMENT_SECRETS_FILE, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      mkdirSync(dirname(DEVELOPMENT_SECRETS_FILE), { recursive: true });
      const candidate = `${DEVELOPMENT_SECRETS_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`;
      const fresh = Object.fromEntries(SECRETS.map((key) => [key, randomBytes(32).toString('base64url')]));
      writeFileSync(candidate, JSON.stringify(fresh), { mode: 0o600 });
      try {
        linkSync(candidate, DEVELOPMENT_SECRETS_FILE);
      } catch (linkError) {
        if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
      } finally {
        unlinkSync(candidate);
      }
      text = readFileSync(DEVELOPMENT_SECRETS_FILE, 'utf8');
    }
    const parsed = z.record(z.enum(SECRETS), z.string().min(32)).safeParse(JSON.parse(text));
    if (!parsed.success || SECRETS.some((key) => !parsed.data[key])) {
      throw new EnvError(`${DEVELOPMENT_SECRETS_FILE} does not hold the development secrets; delete it to have new ones generated`);
    }
    developmentSecrets = parsed.data as Record<SecretName, string>;
  }
  return developmentSecrets[name];
}

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
  /** Signs the short-lived tokens the gateway attaches to every subgraph request. Required in production. @default generated per checkout */
  INTERNAL_SECRET: z
    .string()
    .min(16)
    .default(() => developmentSecret('INTERNAL_SECRET')),
  /** Signs user sessions (issued by crm, verified at the gateway). Required in production. @default generated per checkout */
  JWT_SECRET: z
    .string()
    .min(16)
    .default(() => developmentSecret('JWT_SECRET')),
  ...tracingEnvShape,
};

/** Secrets once published as development defaults: anyone can forge tokens with them. */
const PUBLISHED_SECRETS = new Set(['dev-internal-secret-change-me', 'dev-jwt-secret-change-me-please']);

export class EnvError extends Error {
  override name = 'EnvError';
}

export interface ParseEnvOptions<S extends z.ZodRawShape> {
  /** Switches for tests and benchmarks only: production refuses any of them set to other than its default. */
  testOnly?: readonly (keyof S & string)[];
}

/**
 * Validates `source` against `shape`; the only place a process reads its environment. In
 * production the secrets must be set (and not to a published value) and test switches stay off.
 */
export function parseEnv<S extends z.ZodRawShape>(shape: S, source: Record<string, string | undefined>, options: ParseEnvOptions<S> = {}) {
  const production = source.NODE_ENV === 'production';
  const schema = z.object(shape).superRefine((parsed, ctx) => {
    if (!production) return;
    const env = parsed as Record<string, unknown>;
    for (const key of SECRETS) {
      if (PUBLISHED_SECRETS.has(String(env[key])))
        ctx.addIssue({ code: 'custom', path: [key], message: 'is a published development value; set a secret of your own' });
    }
    for (const key of options.testOnly ?? []) {
      if (!isDeepStrictEqual(env[key], shape[key] && z.parse(shape[key], undefined)))
        ctx.addIssue({ code: 'custom', path: [key], message: 'is a test switch; unset it in production' });
    }
  });
  const fail = (lines: string[]) => new EnvError(`invalid environment:\n${lines.join('\n')}`);
  // checked before parsing: production never falls back to (or creates) a generated secret
  const missing = production ? SECRETS.filter((key) => key in shape && !source[key]) : [];
  if (missing.length) throw fail(missing.map((key) => `  ${key}: must be set in production (a random value of at least 32 characters)`));
  const result = schema.safeParse(source);
  if (!result.success) throw fail(result.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`));
  return result.data as z.infer<z.ZodObject<S>>;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

/** The address a process listens on (`HOST`); unset: 127.0.0.1, and 0.0.0.0 in production (containers set it too). */
export const host = () => z.string().min(1).optional();
export const listenHost = (env: { HOST?: string; NODE_ENV?: string }) => env.HOST ?? (env.NODE_ENV === 'production' ? '0.0.0.0' : '127.0.0.1');
