export * from './benchEnv.ts';
export * from './client.ts';
export * from './fixtures.ts';
export * from './otlp.ts';
export * from './s3.ts';
export * from './stack.ts';
export * from './supervisor.ts';
export * from './tcpProxy.ts';
