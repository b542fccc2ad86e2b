import { Bus } from './messaging/bus.ts';
import type { ReadinessCheck } from './platform/http.ts';
import { createLogger, type Logger } from './platform/logger.ts';
import { createMetrics, type Metrics } from './platform/metrics.ts';
import { ChannelListeners, createRedis, type Redis } from './platform/redis.ts';
import { startTracing, type TracingEnv } from './tracing/tracing.ts';

export interface RuntimeOptions {
  name: string;
  env: { LOG_LEVEL: string; NAMESPACE: string; REDIS_URL: string; RABBITMQ_URL: string } & Partial<TracingEnv>;
  /** Inject a logger (tests silence it). */
  logger?: Logger;
}

/** The connections a Fabline process holds: logger, metrics, Redis (commands + subscriber), RabbitMQ. */
export interface Runtime {
  logger: Logger;
  metrics: Metrics;
  redis: Redis;
  subscriber: Redis;
  listeners: ChannelListeners;
  bus: Bus;
  readiness: Record<string, ReadinessCheck>;
  close(): Promise<void>;
}

export function createRuntime({ name, env, logger: given }: RuntimeOptions): Runtime {
  // first, so the connections made below are traced when OTEL_* configures an exporter
  const tracing = startTracing(name, env);
  const logger = given ?? createLogger({ name, level: env.LOG_LEVEL });
  const metrics = createMetrics(name);
  const redis = createRedis({ url: env.REDIS_URL, namespace: env.NAMESPACE, logger });
  const subscriber = createRedis({ url: env.REDIS_URL, namespace: env.NAMESPACE, logger });
  const listeners = new ChannelListeners(subscriber);
  const bus = new Bus({ url: env.RABBITMQ_URL, namespace: env.NAMESPACE, logger, metrics });
  return {
    logger,
    metrics,
    redis,
    subscriber,
    listeners,
    bus,
    readiness: {
      redis: () => redis.ping(),
      rabbitmq: async () => {
        if (!bus.connection.ready) throw new Error('not connected');
      },
    },
    async close() {
      await bus.close().catch(() => {});
      redis.disconnect();
      subscriber.disconnect();
      await tracing.shutdown();
    },
  };
}
