import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['{infra,gateway,subgraphs,schema}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        // in process like unit, against the real PostgreSQL, Redis or RabbitMQ `npm test` checks for
        test: {
          name: 'integration',
          include: ['{infra,gateway,subgraphs,schema}/**/*.integration.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
          // their hooks create databases or Redis keys: minutes on a loaded machine, not vitest's 10 s
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['{infra,gateway,subgraphs,schema}/**/*.e2e.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
