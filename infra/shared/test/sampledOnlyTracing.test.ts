import { ROOT_CONTEXT, TraceFlags, trace } from '@opentelemetry/api';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { sampledOnlyTracing } from '../src/tracing/sampling.ts';

function setup(sampler = new ParentBasedSampler({ root: new AlwaysOnSampler() })) {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ sampler, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { exporter, tracer: sampledOnlyTracing(provider).getTracer('test') };
}

const remote = (flags: TraceFlags) =>
  trace.setSpan(ROOT_CONTEXT, trace.wrapSpanContext({ traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags, isRemote: true }));

describe('sampledOnlyTracing', () => {
  it('creates no span inside an unsampled trace and keeps the unsampled parent active', () => {
    const { exporter, tracer } = setup();
    const parent = remote(TraceFlags.NONE);
    const span = tracer.startSpan('child', {}, parent);
    expect(span).toBe(trace.getSpan(parent));
    const seen = tracer.startActiveSpan('active', {}, parent, (active) => active.spanContext());
    expect(seen.traceFlags).toBe(TraceFlags.NONE);
    expect(seen.spanId).toBe('b'.repeat(16));
    span.end();
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it('records children of a sampled parent as the SDK would', () => {
    const { exporter, tracer } = setup();
    tracer.startActiveSpan('child', {}, remote(TraceFlags.SAMPLED), (span) => span.end());
    const [child] = exporter.getFinishedSpans();
    expect(child?.name).toBe('child');
    expect(child?.parentSpanId).toBe('b'.repeat(16));
    expect(child?.spanContext().traceId).toBe('a'.repeat(32));
  });

  it('leaves root spans to the sampler', () => {
    const sampled = setup();
    sampled.tracer.startSpan('root', {}, ROOT_CONTEXT).end();
    expect(sampled.exporter.getFinishedSpans()).toHaveLength(1);
    const dropped = setup(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }));
    const root = dropped.tracer.startSpan('root', {}, ROOT_CONTEXT);
    expect(root.isRecording()).toBe(false);
    // the unsampled root's descendants are skipped, not recorded
    expect(dropped.tracer.startSpan('child', {}, trace.setSpan(ROOT_CONTEXT, root))).toBe(root);
  });
});
