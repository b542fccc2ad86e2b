// The public face of `@fabline/shared/tracing`: setup and propagation (tracing.ts), instrumentation.
export { operationSpanPlugin, traceConsume, traceFields, tracePublish, traceRedis, traceRequests } from './instrumentation.ts';
export { contextFromHeaders, isTracingEnabled, startTracing, type TracingEnv, traceHeaders, tracingEnvShape, withSpan } from './tracing.ts';
