import { randomBytes } from 'node:crypto';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';
import { afterEach, describe, expect, it } from 'vitest';
import { diffSchemaAgainstDatabase } from '../src/schemaDrift.ts';

// Each subgraph's SQL migrations, applied to a fresh database, must give exactly what its schema.prisma says.
const root = new URL('../../../', import.meta.url).pathname;
const created: string[] = [];

afterEach(async () => {
  await Promise.all(created.splice(0).map((url) => dropDatabase(url)));
});

describe.each(['shop', 'crm', 'mes'])('%s migrations', (subgraph) => {
  it('build a database that matches schema.prisma model by model', async () => {
    const url = databaseUrlFor('postgresql://postgres@127.0.0.1:5432/postgres', `fabline_test_${randomBytes(4).toString('hex')}_${subgraph}`);
    await ensureDatabase(url);
    created.push(url);
    const migrationsDir = `${root}subgraphs/${subgraph}/prisma/migrations`;
    const first = await migrate({ databaseUrl: url, migrationsDir });
    expect(first.applied.length).toBeGreaterThan(0);
    expect(await diffSchemaAgainstDatabase({ schemaPath: `${root}subgraphs/${subgraph}/prisma/schema.prisma`, databaseUrl: url })).toEqual([]);
    const second = await migrate({ databaseUrl: url, migrationsDir });
    expect(second.applied).toEqual([]);
  });
});
