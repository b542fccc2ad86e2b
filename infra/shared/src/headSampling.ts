import { type Context, SamplingDecision, type Span, SpanKind, type SpanOptions, TraceFlags, type Tracer, trace } from '@opentelemetry/api';
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
