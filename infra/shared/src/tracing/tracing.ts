/**
 * Fabline's OpenTelemetry setup: the OTEL_* variables, the tracer provider (`startTracing`) and the
 * trace context carried in headers. What instruments HTTP, Redis, RabbitMQ, Apollo and log lines is
 * in `instrumentation.ts`; the sampling shortcuts in `sampling.ts`.
 */
import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Link,
  propagation,
  type Span,
  type SpanKind,
  type SpanOptions,
  SpanStatusCode,
  type TextMapGetter,
  type TextMapSetter,
  type Tracer,
  trace,
} from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { Resource } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BatchSpanProcessor,
  ParentBasedSampler,
  type Sampler,
  SamplingDecision,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { PrismaInstrumentation } from '@prisma/instrumentation';
import { z } from 'zod';
import { delegateGlobalTracing, HeadIds, type HeadSampling, sampledOnlyTracing } from './sampling.ts';

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

export type TracingEnv = z.infer<z.ZodObject<typeof tracingEnvShape>>;

let provider: NodeTracerProvider | undefined;
/**
 * Fabline's tracer, taken from the provider itself: this ESM copy of @opentelemetry/api keeps its
 * own proxy provider, which the SDK (loaded as CommonJS) never delegates, so a tracer obtained
 * through `trace.getTracer` before registration would stay a no-op.
 */
let tracer: Tracer = trace.getTracer('fabline');

/** What the instrumentation (`instrumentation.ts`) needs of a started provider. */
export interface ActiveTracing {
  tracer: Tracer;
  /** What `traceRequests` decides with before any span or context exists. */
  head: HeadSampling;
}
let active: ActiveTracing | undefined;

/** The started provider's tracer and head sampling; undefined while tracing is off. */
export const activeTracing = (): ActiveTracing | undefined => active;

export const isTracingEnabled = () => provider !== undefined;

/** Background database work (outbox polling) would start a trace every second: Prisma spans only record inside a trace. */
class NoPrismaRoots implements Sampler {
  constructor(private readonly inner: Sampler) {}
  shouldSample(ctx: Context, traceId: string, name: string, kind: SpanKind, attributes: Attributes, links: Link[]) {
    if (name.startsWith('prisma:') && !trace.getSpanContext(ctx)) return { decision: SamplingDecision.NOT_RECORD };
    return this.inner.shouldSample(ctx, traceId, name, kind, attributes, links);
  }
  toString() {
    return `NoPrismaRoots{${this.inner.toString()}}`;
  }
}

function samplerFor(env: TracingEnv): Sampler {
  const ratio = new TraceIdRatioBasedSampler(env.OTEL_TRACES_SAMPLER_ARG);
  switch (env.OTEL_TRACES_SAMPLER) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return ratio;
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: ratio });
    default: {
      const never: never = env.OTEL_TRACES_SAMPLER;
      return never;
    }
  }
}

/**
 * Registers a tracer provider exporting OTLP/HTTP (JSON) when an endpoint is configured; call it
 * first in `main.ts`. Apollo Gateway, Prisma and Fabline's own spans (HTTP server, Redis,
 * RabbitMQ) then record; without an endpoint nothing is registered and every span is a no-op.
 */
export function startTracing(name: string, env: Partial<TracingEnv>): { enabled: boolean; shutdown(): Promise<void> } {
  const config = z.object(tracingEnvShape).parse(env);
  const url =
    config.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? (config.OTEL_EXPORTER_OTLP_ENDPOINT && `${config.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, '')}/v1/traces`);
  if (!url || config.OTEL_SDK_DISABLED === 'true' || provider) return { enabled: !!provider, shutdown: async () => {} };
  const sampler = new NoPrismaRoots(samplerFor(config));
  const ids = new HeadIds();
  const created = new NodeTracerProvider({
    resource: new Resource({ 'service.name': config.OTEL_SERVICE_NAME ?? name }),
    sampler,
    idGenerator: ids,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }), { scheduledDelayMillis: config.OTEL_BSP_SCHEDULE_DELAY })],
  });
  // AsyncLocalStorage context and the W3C traceparent/baggage propagators
  created.register();
  // always_on samples children of unsampled remote parents: only then must their spans be created
  const tracing = config.OTEL_TRACES_SAMPLER === 'always_on' ? created : sampledOnlyTracing(created);
  delegateGlobalTracing(tracing);
  const prisma = new PrismaInstrumentation({ enabled: false });
  prisma.setTracerProvider(tracing);
  prisma.enable();
  provider = created;
  tracer = tracing.getTracer('fabline');
  active = { tracer, head: { sampler, ids, tracer } };
  return {
    enabled: true,
    async shutdown() {
      await created.shutdown().catch(() => {});
    },
  };
}

const setter: TextMapSetter<Record<string, unknown>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
const getter: TextMapGetter<Record<string, unknown>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const value = carrier[key] ?? carrier[key.toLowerCase()];
    if (Array.isArray(value)) return value.map(String);
    return value === undefined ? undefined : String(value);
  },
};

/** The active trace context as headers (`traceparent`, `tracestate`); empty when tracing is off or nothing is sampled. */
export function traceHeaders(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  if (provider) propagation.inject(ctx, carrier, setter);
  return carrier;
}

/** The context a caller sent in headers (HTTP or AMQP), or the active one. */
export function contextFromHeaders(headers: Record<string, unknown> | undefined): Context {
  if (!provider || !headers) return context.active();
  return propagation.extract(context.active(), headers, getter);
}

/** Runs `fn` in a new active span that records a thrown error and always ends. */
export async function withSpan<T>(name: string, options: SpanOptions, fn: (span: Span) => Promise<T>, parent?: Context): Promise<T> {
  if (!provider) return fn(trace.getActiveSpan() ?? trace.wrapSpanContext(INVALID_SPAN_CONTEXT));
  return tracer.startActiveSpan(name, options, parent ?? context.active(), async (span) => {
    try {
      return await fn(span);
    } catch (error) {
      span.recordException(error as Error);
      span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      throw error;
    } finally {
      span.end();
    }
  });
}
