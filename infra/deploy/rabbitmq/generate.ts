/**
 * Writes definitions.json from the topology table the services assert at start
 * (`@fabline/shared/topology`), for the production namespace `fabline`. Run after changing the table:
 * `npm run generate` (or `npx tsx infra/deploy/rabbitmq/generate.ts`); `npm run check:generated` fails on drift.
 */
import { writeFileSync } from 'node:fs';
import { rabbitDefinitions } from '@fabline/shared/topology';

writeFileSync(new URL('./definitions.json', import.meta.url), `${JSON.stringify(rabbitDefinitions('fabline'), null, 2)}\n`);
