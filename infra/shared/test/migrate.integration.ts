import { createHash, randomBytes } from 'node:crypto';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../src/database/database.ts';
import { migrate } from '../src/database/migrate.ts';

const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const fixtureMigrations = path.join(fixtures, 'migrations');
const MIGRATIONS = ['20240101000000_init', '20240215093000_add_tags'];

const serverUrl = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const createdDatabases: string[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  await Promise.all(createdDatabases.splice(0).map((url) => dropDatabase(url)));
  await Promise.all(tempDirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDatabase(): Promise<string> {
  const url = databaseUrlFor(serverUrl, `fabline_test_${randomBytes(6).toString('hex')}`);
  createdDatabases.push(url);
  expect(await ensureDatabase(url)).toBe(true);
  return url;
}

/** A writable copy of the fixture migrations. */
async function copyOfMigrations(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'fabline-migrations-'));
  tempDirs.push(dir);
  await cp(fixtureMigrations, dir, { recursive: true });
  return dir;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface MigrationRow {
  id: string;
  checksum: string;
  migration_name: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  logs: string | null;
  applied_steps_count: number;
}

const migrationRows = (url: string): Promise<MigrationRow[]> =>
  query<MigrationRow>(url, 'SELECT * FROM _prisma_migrations ORDER BY started_at, migration_name');

async function sha256OfFile(file: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
}

describe('database helpers', () => {
  it('databaseUrlFor replaces only the database name', () => {
    expect(databaseUrlFor('postgresql://u:p%40ss@db.local:5433/app?schema=public&sslmode=disable', 'other')).toBe(
      'postgresql://u:p%40ss@db.local:5433/other?schema=public&sslmode=disable',
    );
    expect(databaseUrlFor('postgresql://postgres@127.0.0.1:5432/postgres', 'we"ird db')).toBe('postgresql://postgres@127.0.0.1:5432/we%22ird%20db');
  });

  it('ensureDatabase creates once under concurrency and quotes the name; dropDatabase removes it', async () => {
    const name = `fabline_test_${randomBytes(4).toString('hex')}_"Quoted"`;
    const url = databaseUrlFor(serverUrl, name);
    createdDatabases.push(url);
    const results = await Promise.all([ensureDatabase(url), ensureDatabase(url), ensureDatabase(url)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await ensureDatabase(url)).toBe(false);
    expect(await query(serverUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).toHaveLength(1);
    await dropDatabase(url);
    expect(await query(serverUrl, 'SELECT 1 FROM pg_database WHERE datname = $1', [name])).toHaveLength(0);
    await dropDatabase(url); // idempotent
  });
});

describe('migrate', () => {
  it('applies migrations in order and records them like Prisma', async () => {
    const url = await freshDatabase();
    const logged: string[] = [];
    const result = await migrate({
      databaseUrl: url,
      migrationsDir: fixtureMigrations,
      logger: { info: (_obj, msg) => logged.push(msg ?? '') },
    });
    expect(result).toEqual({ applied: MIGRATIONS, skipped: [] });
    expect(logged).toContain('applied migration');

    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATIONS);
    for (const row of rows) {
      expect(row.checksum).toBe(await sha256OfFile(path.join(fixtureMigrations, row.migration_name, 'migration.sql')));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.rolled_back_at).toBeNull();
      expect(row.logs).toBeNull();
      expect(row.applied_steps_count).toBe(1);
      expect(row.id).toMatch(/^[0-9a-f-]{36}$/);
    }

    // Same shape as the table Prisma's schema engine creates.
    const columns = await query<{ column_name: string; data_type: string; is_nullable: string; len: number | null }>(
      url,
      `SELECT column_name, data_type, is_nullable, character_maximum_length AS len
         FROM information_schema.columns WHERE table_name = '_prisma_migrations' ORDER BY ordinal_position`,
    );
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'character varying', is_nullable: 'NO', len: 36 },
      { column_name: 'checksum', data_type: 'character varying', is_nullable: 'NO', len: 64 },
      { column_name: 'finished_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'migration_name', data_type: 'character varying', is_nullable: 'NO', len: 255 },
      { column_name: 'logs', data_type: 'text', is_nullable: 'YES', len: null },
      { column_name: 'rolled_back_at', data_type: 'timestamp with time zone', is_nullable: 'YES', len: null },
      { column_name: 'started_at', data_type: 'timestamp with time zone', is_nullable: 'NO', len: null },
      { column_name: 'applied_steps_count', data_type: 'integer', is_nullable: 'NO', len: null },
    ]);
  });

  it('applies nothing on a second run', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url, migrationsDir: fixtureMigrations });
    const again = await migrate({ databaseUrl: url, migrationsDir: fixtureMigrations });
    expect(again).toEqual({ applied: [], skipped: MIGRATIONS });
    expect(await migrationRows(url)).toHaveLength(2);
  });

  it('applies only new migrations added later', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate({ databaseUrl: url, migrationsDir: dir });
    await mkdir(path.join(dir, '20240301000000_add_sku_name'));
    await writeFile(path.join(dir, '20240301000000_add_sku_name', 'migration.sql'), 'CREATE TABLE "later" ("id" INTEGER);\n');
    const result = await migrate({ databaseUrl: url, migrationsDir: dir });
    expect(result).toEqual({ applied: ['20240301000000_add_sku_name'], skipped: MIGRATIONS });
  });

  it('refuses a migration modified after it was applied', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate({ databaseUrl: url, migrationsDir: dir });
    await appendFile(path.join(dir, MIGRATIONS[0] ?? '', 'migration.sql'), '\n-- edited\n');
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/20240101000000_init.*was modified after it was applied/);
  });

  it('accepts a migration whose line endings changed (git autocrlf)', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await migrate({ databaseUrl: url, migrationsDir: dir });
    const file = path.join(dir, MIGRATIONS[0] ?? '', 'migration.sql');
    await writeFile(file, (await readFile(file, 'utf8')).replaceAll('\n', '\r\n'));
    expect(await migrate({ databaseUrl: url, migrationsDir: dir })).toEqual({ applied: [], skipped: MIGRATIONS });
  });

  it('records a failed migration, rolls it back, and refuses later runs until resolved', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    const broken = '20240301000000_broken';
    await mkdir(path.join(dir, broken));
    const file = path.join(dir, broken, 'migration.sql');
    await writeFile(file, 'CREATE TABLE "half_done" ("id" INTEGER);\nSELECT * FROM "does_not_exist";\n');

    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/20240301000000_broken.*relation "does_not_exist" does not exist/);
    const rows = await migrationRows(url);
    expect(rows.map((r) => [r.migration_name, r.finished_at !== null])).toEqual([
      [MIGRATIONS[0], true],
      [MIGRATIONS[1], true],
      [broken, false],
    ]);
    const failed = rows[2];
    expect(failed?.rolled_back_at).toBeNull();
    expect(failed?.applied_steps_count).toBe(0);
    expect(failed?.logs).toContain('does_not_exist');
    // The script ran in one transaction: nothing of it is left behind.
    expect(await query(url, `SELECT to_regclass('public.half_done') AS t`)).toEqual([{ t: null }]);

    // Even with the file fixed, a failed row blocks further runs (Prisma's P3009).
    await writeFile(file, 'CREATE TABLE "half_done" ("id" INTEGER);\n');
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/failed migrations.*20240301000000_broken.*does_not_exist/);

    // `prisma migrate resolve --rolled-back` sets rolled_back_at; then the fixed migration applies.
    await query(url, 'UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = $1', [broken]);
    expect(await migrate({ databaseUrl: url, migrationsDir: dir })).toEqual({ applied: [broken], skipped: MIGRATIONS });
    const after = await migrationRows(url);
    expect(after.filter((r) => r.migration_name === broken && r.finished_at !== null)).toHaveLength(1);
  });

  it('applies each migration exactly once when runners race', async () => {
    const url = await freshDatabase();
    const results = await Promise.all([
      migrate({ databaseUrl: url, migrationsDir: fixtureMigrations }),
      migrate({ databaseUrl: url, migrationsDir: fixtureMigrations }),
      migrate({ databaseUrl: url, migrationsDir: fixtureMigrations }),
    ]);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(MIGRATIONS);
    for (const r of results) expect([...r.applied, ...r.skipped].sort()).toEqual(MIGRATIONS);
    const rows = await migrationRows(url);
    expect(rows.map((r) => r.migration_name)).toEqual(MIGRATIONS);
  });

  it('rejects a migration_lock.toml for another provider', async () => {
    const url = await freshDatabase();
    const dir = await copyOfMigrations();
    await writeFile(path.join(dir, 'migration_lock.toml'), 'provider = "mysql"\n');
    await expect(migrate({ databaseUrl: url, migrationsDir: dir })).rejects.toThrow(/provider "mysql", expected "postgresql"/);
  });
});
