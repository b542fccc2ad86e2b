import type { EventEmitter } from 'node:events';
import type { ApolloServerPlugin } from '@apollo/server';
import {
  type Attributes,
  type Context,
  context,
  INVALID_SPAN_CONTEXT,
  type Link,
  propagation,
  type Span,
  SpanKind,
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
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { tracingEnvShape } from './env.ts';
import { HeadIds, type HeadSampling, startRequestSpan } from './headSampling.ts';
import { delegateGlobalTracing, sampledOnlyTracing } from './sampledOnlyTracing.ts';

export { tracingEnvShape };

export type TracingEnv = z.infer<z.ZodObject<typeof tracingEnvShape>>;

let provider: NodeTracerProvider | undefined;
/**
 * Fabline's tracer, taken from the provider itself: this ESM copy of @opentelemetry/api keeps its
 * own proxy provider, which the SDK (loaded as CommonJS) never delegates, so a tracer obtained
 * through `trace.getTracer` before registration would stay a no-op.
 */
let tracer: Tracer = trace.getTracer('fabline');
/** What `traceRequests` decides with before any span or context exists. */
let head: HeadSampling | undefined;

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
  head = { sampler, ids, tracer };
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

const SKIPPED = new Set(['/healthz', '/readyz', '/metrics']);

const TRACE_CONTEXT = Symbol('fabline.traceContext');
type InContext = EventEmitter & { [TRACE_CONTEXT]?: Context };

/** The emitter's own `emit`, run in its request's context. One function for all requests: no closure per request. */
function emitInContext(this: InContext, event: string | symbol, ...args: unknown[]): boolean {
  const emit = (Object.getPrototypeOf(this) as EventEmitter).emit;
  const ctx = this[TRACE_CONTEXT];
  return ctx ? context.with(ctx, emit, this, event, ...args) : emit.call(this, event, ...args);
}

/**
 * Runs every event `emitter` emits (a request body's `data` and `end`, a response's `finish`) in
 * `ctx`. `context.bind(ctx, emitter)` does the same by patching six methods and wrapping each
 * listener added, which profiles showed costing an unsampled request more than the rest of its
 * tracing together.
 */
function emitIn(ctx: Context, emitter: EventEmitter) {
  (emitter as InContext)[TRACE_CONTEXT] = ctx;
  emitter.emit = emitInContext;
}

/**
 * A SERVER span per request, continuing the caller's trace (`traceparent`). The sampling decision
 * comes first (`headSampling.ts`): an unsampled request gets no span, only a context that passes
 * "not sampled" on to subgraph fetches and messages, and its descendants create no spans
 * (`sampledOnlyTracing.ts`). The request's events run in the context, so body parsers and Apollo
 * run inside it; the response's too when the span is sampled.
 */
export function traceRequests(): RequestHandler {
  return (req, res, next) => {
    if (!provider || !head || SKIPPED.has(req.path)) return next();
    const { traceparent, baggage } = req.headers;
    const parent = traceparent === undefined && baggage === undefined ? context.active() : contextFromHeaders(req.headers);
    const { ctx, span } = startRequestSpan(
      head,
      `${req.method} ${req.path}`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method, 'url.path': req.path } },
      parent,
    );
    // the body parser's continuation must carry even an unsampled context: subgraph fetches pass the decision on
    emitIn(ctx, req);
    // the response's listeners (the request log line, the span's end) matter only when the span records
    if (span?.isRecording()) {
      emitIn(ctx, res);
      res.on('finish', () => {
        span.setAttribute('http.response.status_code', res.statusCode);
        if (res.statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
    }
    context.with(ctx, next);
  };
}

interface RedisCommand {
  name: string;
  promise: Promise<unknown>;
}

/**
 * CLIENT spans for Redis commands issued inside a sampled trace (`redis GET`). Commands outside one
 * (subscriber pings, background sweeps) start no trace of their own. Keys are not recorded.
 */
export function traceRedis(redis: Redis): Redis {
  if (!provider) return redis;
  const send = redis.sendCommand.bind(redis) as (command: RedisCommand, stream?: unknown) => unknown;
  (redis as unknown as { sendCommand: typeof send }).sendCommand = (command, stream) => {
    // outside a sampled trace a span would only be dropped: skip its cost
    if (!trace.getActiveSpan()?.isRecording()) return send(command, stream);
    const span = tracer.startSpan(`redis ${command.name.toUpperCase()}`, {
      kind: SpanKind.CLIENT,
      attributes: { 'db.system': 'redis', 'db.operation.name': command.name },
    });
    command.promise.then(
      () => span.end(),
      (error: Error) => {
        span.recordException(error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: error.message });
        span.end();
      },
    );
    return send(command, stream);
  };
  return redis;
}

/** The active span's ids for log lines (pino `mixin`); empty outside a sampled span. */
export function traceFields(): { traceId?: string; spanId?: string } {
  const span = trace.getActiveSpan();
  if (!span) return {};
  const { traceId, spanId, traceFlags } = span.spanContext();
  // unsampled spans are never exported: their ids would lead nowhere
  if (!(traceFlags & 1)) return {};
  return { traceId, spanId };
}

/**
 * A PRODUCER span around a broker publish; `send` gets the headers that carry the trace on the
 * message, so the consumer continues it.
 */
export function tracePublish<T>(destination: string, send: (headers: Record<string, string>) => Promise<T>): Promise<T> {
  if (!provider) return send({});
  return withSpan(
    `${destination} publish`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': destination } },
    () => send(traceHeaders()),
  );
}

/** A CONSUMER span for one delivered message, child of the publisher's span when the headers carry one. */
export function traceConsume<T>(queue: string, headers: Record<string, unknown> | undefined, handle: () => Promise<T>): Promise<T> {
  if (!provider) return handle();
  return withSpan(
    `${queue} process`,
    { kind: SpanKind.CONSUMER, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': queue } },
    handle,
    contextFromHeaders(headers),
  );
}

/** Names the request's server span after the GraphQL operation, so a subgraph's spans read `POST /graphql RequestQuote`. */
export function operationSpanPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      if (!provider) return;
      return {
        async didResolveOperation({ operationName, operation }) {
          const span = trace.getActiveSpan();
          if (!span) return;
          if (operation) span.setAttribute('graphql.operation.type', operation.operation);
          if (operationName) {
            span.setAttribute('graphql.operation.name', operationName);
            span.updateName(`POST /graphql ${operationName}`);
          }
        },
      };
    },
  };
}
