import { ROOT_CONTEXT, SamplingDecision, SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { TraceState } from '@opentelemetry/core';
import {
  AlwaysOnSampler,
  BasicTracerProvider,
  InMemorySpanExporter,
  ParentBasedSampler,
  type Sampler,
  SimpleSpanProcessor,
  TraceIdRatioBasedSampler,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { HeadIds, sampledOnlyTracing, startRequestSpan } from '../src/tracing/sampling.ts';

function setup(sampler: Sampler) {
  const exporter = new InMemorySpanExporter();
  const ids = new HeadIds();
  const provider = new BasicTracerProvider({ sampler, idGenerator: ids, spanProcessors: [new SimpleSpanProcessor(exporter)] });
  const tracer = sampledOnlyTracing(provider).getTracer('test');
  return { exporter, tracer, head: { sampler, ids, tracer } };
}

const options = { kind: SpanKind.SERVER, attributes: { 'url.path': '/graphql' } };
const remote = (flags: TraceFlags, traceState?: TraceState) =>
  trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags: flags, isRemote: true, traceState });

describe('startRequestSpan', () => {
  it("starts a root span on the trace id the ratio sampler decided by, so the SDK's decision agrees", () => {
    const sampler = new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0.5) });
    const { exporter, head } = setup(sampler);
    let sampled = 0;
    for (let i = 0; i < 400; i++) {
      const { ctx, span } = startRequestSpan(head, 'POST /graphql', options, ROOT_CONTEXT);
      const spanContext = trace.getSpanContext(ctx);
      expect(spanContext && trace.isSpanContextValid(spanContext)).toBe(true);
      const expected = new TraceIdRatioBasedSampler(0.5).shouldSample(ROOT_CONTEXT, spanContext?.traceId ?? '').decision;
      expect(spanContext?.traceFlags).toBe(expected === SamplingDecision.RECORD_AND_SAMPLED ? TraceFlags.SAMPLED : TraceFlags.NONE);
      expect(span === undefined).toBe(expected === SamplingDecision.NOT_RECORD);
      span?.end();
      if (span) sampled++;
    }
    expect(exporter.getFinishedSpans()).toHaveLength(sampled);
    expect(sampled).toBeGreaterThan(120);
    expect(sampled).toBeLessThan(280);
  });

  it('gives an unsampled request only a context that passes "not sampled" on and starts no spans under it', () => {
    const { exporter, head, tracer } = setup(new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(0) }));
    const { ctx, span } = startRequestSpan(head, 'POST /graphql', options, ROOT_CONTEXT);
    expect(span).toBeUndefined();
    expect(trace.getSpanContext(ctx)?.traceFlags).toBe(TraceFlags.NONE);
    // Apollo Gateway's spans and our own inside the request are skipped
    expect(tracer.startSpan('gateway.request', {}, ctx)).toBe(trace.getSpan(ctx));
    expect(exporter.getFinishedSpans()).toHaveLength(0);
  });

  it("follows the caller's decision and keeps its trace id and trace state", () => {
    const state = new TraceState('vendor=1');
    const { exporter, head } = setup(new ParentBasedSampler({ root: new AlwaysOnSampler() }));
    const unsampled = startRequestSpan(head, 'POST /graphql', options, remote(TraceFlags.NONE, state));
    expect(unsampled.span).toBeUndefined();
    expect(trace.getSpanContext(unsampled.ctx)).toMatchObject({ traceId: 'a'.repeat(32), traceFlags: TraceFlags.NONE, traceState: state });
    expect(trace.getSpanContext(unsampled.ctx)?.spanId).not.toBe('b'.repeat(16));

    const sampled = startRequestSpan(head, 'POST /graphql', options, remote(TraceFlags.SAMPLED));
    sampled.span?.end();
    const [server] = exporter.getFinishedSpans();
    expect(server?.spanContext().traceId).toBe('a'.repeat(32));
    expect(server?.parentSpanId).toBe('b'.repeat(16));
    expect(server?.kind).toBe(SpanKind.SERVER);
  });
});
