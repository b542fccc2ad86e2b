/**
 * Spans for what every Fabline process does: HTTP requests, Redis commands, broker publishes and
 * deliveries, GraphQL operations, and trace ids on log lines. Each is a no-op while tracing is off.
 */
import type { EventEmitter } from 'node:events';
import type { ApolloServerPlugin } from '@apollo/server';
import { type Context, context, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { startRequestSpan } from './sampling.ts';
import { activeTracing, contextFromHeaders, isTracingEnabled, traceHeaders, withSpan } from './tracing.ts';

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
    const tracing = activeTracing();
    if (!tracing || SKIPPED.has(req.path)) return next();
    const { traceparent, baggage } = req.headers;
    const parent = traceparent === undefined && baggage === undefined ? context.active() : contextFromHeaders(req.headers);
    const { ctx, span } = startRequestSpan(
      tracing.head,
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
  const tracing = activeTracing();
  if (!tracing) return redis;
  const { tracer } = tracing;
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
  if (!isTracingEnabled()) return send({});
  return withSpan(
    `${destination} publish`,
    { kind: SpanKind.PRODUCER, attributes: { 'messaging.system': 'rabbitmq', 'messaging.destination.name': destination } },
    () => send(traceHeaders()),
  );
}

/** A CONSUMER span for one delivered message, child of the publisher's span when the headers carry one. */
export function traceConsume<T>(queue: string, headers: Record<string, unknown> | undefined, handle: () => Promise<T>): Promise<T> {
  if (!isTracingEnabled()) return handle();
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
      if (!isTracingEnabled()) return;
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
