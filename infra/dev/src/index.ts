export * from './client.ts';
export * from './fixtures.ts';
export * from './otlp.ts';
export * from './stack.ts';
