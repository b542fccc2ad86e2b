/**
 * Sampling, decided as early and as cheaply as possible: the head decision for a request made before
 * any span exists (`startRequestSpan`), and tracers that create no span inside an unsampled trace
 * (`sampledOnlyTracing`). Both keep an unsampled request cheap.
 */
import {
  type Context,
  context,
  SamplingDecision,
  type Span,
  SpanKind,
  type SpanOptions,
  TraceFlags,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { type IdGenerator, RandomIdGenerator, type Sampler } from '@opentelemetry/sdk-trace-base';

/**
 * The provider's id generator, able to hand a root span the trace id its head sampling decision
 * was made on (the trace-id ratio sampler decides by the trace id).
 */
export class HeadIds implements IdGenerator {
  private readonly random = new RandomIdGenerator();
  private next: string | undefined;

  generateTraceId(): string {
    const id = this.next ?? this.random.generateTraceId();
    this.next = undefined;
    return id;
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }

  /** Runs `start` (which starts one span synchronously) so that a root span gets `traceId`. */
  withTraceId<T>(traceId: string, start: () => T): T {
    this.next = traceId;
    try {
      return start();
    } finally {
      this.next = undefined;
    }
  }
}

export interface HeadSampling {
  /** The provider's sampler: the decision here and the SDK's for a sampled span agree. */
  sampler: Sampler;
  ids: HeadIds;
  /** Starts the spans of sampled requests. */
  tracer: Tracer;
}

/**
 * A request's server span, after the head sampling decision: `parent` carries the caller's
 * `traceparent`, if any. The decision is made first, with the provider's own sampler; an unsampled
 * request gets no span from the SDK (no attributes, no span object), only a context that carries
 * the "not sampled" decision on to subgraphs and queue consumers, so they start no trace of their
 * own. `span` is undefined then.
 */
export function startRequestSpan(head: HeadSampling, name: string, options: SpanOptions, parent: Context): { ctx: Context; span?: Span } {
  const remote = trace.getSpanContext(parent);
  const traceId = remote && trace.isSpanContextValid(remote) ? remote.traceId : head.ids.generateTraceId();
  const { decision } = head.sampler.shouldSample(parent, traceId, name, options.kind ?? SpanKind.SERVER, {}, []);
  if (decision === SamplingDecision.NOT_RECORD) {
    const spanContext = { traceId, spanId: head.ids.generateSpanId(), traceFlags: TraceFlags.NONE, traceState: remote?.traceState };
    return { ctx: trace.setSpanContext(parent, spanContext) };
  }
  const span = head.ids.withTraceId(traceId, () => head.tracer.startSpan(name, options, parent));
  return { ctx: trace.setSpan(parent, span), span };
}

/**
 * The span that makes a new span pointless: an unsampled, non-recording parent. Under a
 * parent-based (or trace-id ratio) sampler every descendant of it is unsampled too.
 */
function unsampledParent(ctx: Context): Span | undefined {
  const parent = trace.getSpan(ctx);
  if (!parent || parent.isRecording() || parent.spanContext().traceFlags & TraceFlags.SAMPLED) return undefined;
  return parent;
}

type ActiveSpanFn<F> = (span: Span) => F;

/**
 * Creates no span at all inside an unsampled trace. The SDK would return a non-recording span
 * there too, but only after generating its ids, asking the sampler and entering a new
 * AsyncLocalStorage context for it: Apollo Gateway starts six such spans per request (request,
 * validate, plan, execute, fetch, postprocessing), and at low sampling rates that work was most of
 * what tracing cost. The unsampled parent stays the active span, so `traceparent` still carries the
 * "not sampled" decision to subgraphs and queue consumers, and log lines still get no trace ids.
 */
class SampledOnlyTracer implements Tracer {
  constructor(private readonly inner: Tracer) {}

  startSpan(name: string, options?: SpanOptions, ctx: Context = context.active()): Span {
    if (!options?.root) {
      const parent = unsampledParent(ctx);
      if (parent) return parent;
    }
    return this.inner.startSpan(name, options, ctx);
  }

  startActiveSpan<F extends ActiveSpanFn<ReturnType<F>>>(name: string, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFn<ReturnType<F>>>(name: string, options: SpanOptions, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFn<ReturnType<F>>>(name: string, options: SpanOptions, ctx: Context, fn: F): ReturnType<F>;
  startActiveSpan<F extends ActiveSpanFn<ReturnType<F>>>(name: string, ...rest: [F] | [SpanOptions, F] | [SpanOptions, Context, F]): ReturnType<F> {
    const fn = rest[rest.length - 1] as F;
    const options = rest.length > 1 ? (rest[0] as SpanOptions) : undefined;
    const explicit = rest.length > 2 ? (rest[1] as Context) : undefined;
    const ctx = explicit ?? context.active();
    const parent = options?.root ? undefined : unsampledParent(ctx);
    if (!parent) return this.inner.startActiveSpan(name, options ?? {}, ctx, fn);
    // the parent is already the active span: nothing to enter unless the caller named another context
    return explicit && explicit !== context.active() ? context.with(explicit, fn, undefined, parent) : fn(parent);
  }
}

/** A tracer provider whose tracers skip span creation inside unsampled traces (see SampledOnlyTracer). */
export function sampledOnlyTracing(provider: TracerProvider): TracerProvider {
  const tracers = new Map<string, Tracer>();
  return {
    getTracer(name, version, options) {
      const key = `${name}@${version ?? ''}:${options?.schemaUrl ?? ''}`;
      let tracer = tracers.get(key);
      if (!tracer) {
        tracer = new SampledOnlyTracer(provider.getTracer(name, version, options));
        tracers.set(key, tracer);
      }
      return tracer;
    },
  };
}

/**
 * Makes `provider` the one behind every copy of `@opentelemetry/api`'s global proxy. The SDK's
 * `register()` registers itself; Apollo Gateway (CommonJS) resolves its tracer through that global
 * proxy on first use, so replacing the proxy's delegate right after registration is enough.
 */
export function delegateGlobalTracing(provider: TracerProvider) {
  const global = trace.getTracerProvider() as TracerProvider & { setDelegate?: (delegate: TracerProvider) => void };
  global.setDelegate?.(provider);
}
