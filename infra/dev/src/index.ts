export * from './client.ts';
export * from './stack.ts';
export * from './fixtures.ts';
