import { type Logger, pino } from 'pino';
import { traceFields } from '../tracing/instrumentation.ts';

export type { Logger };

export interface LoggerOptions {
  /** Process or component name, logged as `name` on every line. */
  name: string;
  /** @default 'info' */
  level?: string;
}

/** One JSON logger per process; children carry requestId, traceId, worker name. */
export function createLogger({ name, level = 'info' }: LoggerOptions): Logger {
  return pino({
    name,
    level,
    base: { name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // a log line written inside a sampled span names its trace
    mixin: traceFields,
    redact: { paths: ['req.headers.authorization', 'req.headers["x-api-key"]', 'password', '*.password'], censor: '[redacted]' },
  });
}
