import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// Node loads graphql's CommonJS build for the project's code and for Apollo's (the package has no
// `exports`); vite would give the code under test its ES build, a second graphql whose schemas and
// errors the first does not recognise. Tests in Node use the one Node uses.
const nodeGraphql = { alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }] };

export default defineConfig({
  test: {
    projects: [
      {
        resolve: nodeGraphql,
        test: {
          name: 'unit',
          include: ['{infra,gateway,subgraphs,schema,web}/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        // in process like unit, against the real PostgreSQL, Redis or RabbitMQ `npm test` checks for
        resolve: nodeGraphql,
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
        // React components with logic of their own, in jsdom
        test: {
          name: 'web',
          include: ['web/**/*.test.tsx'],
          exclude: ['**/node_modules/**'],
          environment: 'jsdom',
          testTimeout: 30_000,
        },
      },
      {
        resolve: nodeGraphql,
        test: {
          name: 'e2e',
          include: ['{infra,gateway,subgraphs,schema,web}/**/*.e2e.ts'],
          exclude: ['**/node_modules/**'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
