/**
 * Writes definitions.json from the topology table the services assert at start
 * (`@fabline/shared/topology`), for the production namespace `fabline`. Run after changing the table:
 * `npx tsx infra/deploy/rabbitmq/generate.ts`; infra/dev/test/definitions.test.ts fails on drift.
 */
import { writeFileSync } from 'node:fs';
import { rabbitDefinitions } from '@fabline/shared/topology';

writeFileSync(new URL('./definitions.json', import.meta.url), `${JSON.stringify(rabbitDefinitions('fabline'), null, 2)}\n`);
