import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '@fabline/shared/database';
import { migrate } from '@fabline/shared/migrate';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { diffSchemaAgainstDatabase } from '../src/schemaDrift.ts';

// the migrate tests' fixtures: schemas and the migrations that build them
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../shared/test/fixtures');
const fixtureMigrations = path.join(fixtures, 'migrations');
const schemaPath = path.join(fixtures, 'schema.prisma');

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

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

describe('diffSchemaAgainstDatabase', () => {
  it('finds no difference between the fixture schema and its migrated database', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url, migrationsDir: fixtureMigrations });
    expect(await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: url })).toEqual([]);
  });

  it('reports every model as missing on an empty database', async () => {
    const url = await freshDatabase();
    const diffs = await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: url });
    for (const table of ['users', 'orders', 'order_lines', 'Tag']) {
      expect(diffs).toContainEqual(expect.stringContaining(`table "${table}"`));
    }
    expect(diffs).toContainEqual(expect.stringContaining('enum type "order_status"'));
  });

  const cases: Array<[string, string, RegExp]> = [
    ['a dropped column', 'ALTER TABLE "orders" DROP COLUMN "note"', /column "orders"\."note" \(Order\.note\) is missing/],
    ['a dropped @map column', 'ALTER TABLE "users" DROP COLUMN "created_at"', /column "users"\."created_at" \(User\.createdAt\) is missing/],
    [
      'an optional column made NOT NULL',
      'ALTER TABLE "users" ALTER COLUMN "name" SET NOT NULL',
      /column "users"\."name" \(User\.name\) is NOT NULL in the database but optional/,
    ],
    [
      'a required column made nullable',
      'ALTER TABLE "order_lines" ALTER COLUMN "sku" DROP NOT NULL',
      /column "order_lines"\."sku" \(OrderLine\.sku\) is nullable in the database but required/,
    ],
    ['a dropped @@index', 'DROP INDEX "orders_status_placed_at_idx"', /index "orders_status_placed_at_idx" on "orders" \("status", "placed_at"\).*is missing/],
    [
      'an index with its columns swapped',
      'DROP INDEX "orders_status_placed_at_idx"; CREATE INDEX "orders_status_placed_at_idx" ON "orders"("placed_at", "status")',
      /index "orders_status_placed_at_idx" on "orders" \("status", "placed_at"\).*differs.*covers \("placed_at", "status"\)/,
    ],
    [
      'a sort order lost',
      'DROP INDEX "Tag_owner_id_label_idx"; CREATE INDEX "Tag_owner_id_label_idx" ON "Tag"("owner_id", "label")',
      /index "Tag_owner_id_label_idx".*sort orders \[asc, asc\]/,
    ],
    [
      'a dropped composite @@unique',
      'DROP INDEX "orders_user_id_reference_key"',
      /unique index "orders_user_id_reference_key" on "orders" \("user_id", "reference"\).*is missing/,
    ],
    [
      'a unique index made non-unique',
      'DROP INDEX "users_email_key"; CREATE INDEX "users_email_key" ON "users"("email")',
      /unique index "users_email_key" on "users" \("email"\).*is not unique/,
    ],
    [
      'a changed Decimal precision',
      'ALTER TABLE "orders" ALTER COLUMN "total" TYPE DECIMAL(14,2)',
      /column "orders"\."total" \(Order\.total\) has type numeric\(14,2\), expected numeric\(12,2\)/,
    ],
    [
      'timestamptz instead of timestamp(3)',
      'ALTER TABLE "orders" ALTER COLUMN "placed_at" TYPE TIMESTAMPTZ(3)',
      /column "orders"\."placed_at" \(Order\.placedAt\) has type timestamp\(3\) with time zone, expected timestamp\(3\) without time zone/,
    ],
    [
      'a varchar length change',
      'ALTER TABLE "orders" ALTER COLUMN "reference" TYPE VARCHAR(64)',
      /column "orders"\."reference" .*character varying\(64\), expected character varying\(32\)/,
    ],
    ['a dropped default', 'ALTER TABLE "users" ALTER COLUMN "role" DROP DEFAULT', /column "users"\."role" \(User\.role\) has default none, expected "MEMBER"/],
    [
      'a changed literal default',
      'ALTER TABLE "order_lines" ALTER COLUMN "quantity" SET DEFAULT 2',
      /column "order_lines"\."quantity" .*has default 2, expected 1/,
    ],
    ['an unexpected default', `ALTER TABLE "users" ALTER COLUMN "name" SET DEFAULT 'anon'`, /column "users"\."name" .*has default 'anon'::text, expected none/],
    ['an added enum value', `ALTER TYPE "Role" ADD VALUE 'OWNER'`, /enum type "Role" \(enum Role\) values differ: extra 'OWNER'/],
    [
      'a dropped foreign key',
      'ALTER TABLE "orders" DROP CONSTRAINT "orders_user_id_fkey"',
      /foreign key "orders"\("user_id"\) -> "users"\("id"\) \(Order\.user\) is missing/,
    ],
    [
      'a foreign key without ON DELETE CASCADE',
      'ALTER TABLE "order_lines" DROP CONSTRAINT "order_lines_order_id_fkey"; ' +
        'ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE RESTRICT ON UPDATE CASCADE',
      /foreign key "order_lines"\("order_id"\).*has ON DELETE Restrict, expected Cascade/,
    ],
    [
      'a changed composite primary key',
      'ALTER TABLE "order_lines" DROP CONSTRAINT "order_lines_pkey"; ALTER TABLE "order_lines" ADD CONSTRAINT "order_lines_pkey" PRIMARY KEY ("order_id", "sku")',
      /primary key "order_lines_pkey" on "order_lines" \("order_id", "line_no"\).*covers \("order_id", "sku"\)/,
    ],
    ['an extra table', 'CREATE TABLE "stray" ("id" INTEGER)', /table "stray" exists in the database but no model maps to it/],
    ['an extra column', 'ALTER TABLE "Tag" ADD COLUMN "colour" TEXT', /column "Tag"\."colour" exists in the database but not in model Tag/],
    [
      'a list column turned scalar',
      'ALTER TABLE "Tag" ALTER COLUMN "aliases" TYPE TEXT USING array_to_string("aliases", \',\')',
      /column "Tag"\."aliases" \(Tag\.aliases\) is not an array/,
    ],
  ];

  it.each(cases)('reports %s', async (_label, alteration, expected) => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url, migrationsDir: fixtureMigrations });
    await query(url, alteration);
    const diffs = await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: url });
    expect(diffs).toContainEqual(expect.stringMatching(expected));
  });

  it('reports a renamed index by its expected name', async () => {
    const url = await freshDatabase();
    await migrate({ databaseUrl: url, migrationsDir: fixtureMigrations });
    await query(url, 'ALTER INDEX "order_lines_sku_idx" RENAME TO "sku_lookup"');
    expect(await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: url })).toEqual([
      'index "order_lines_sku_idx" on "order_lines" ("sku") (@@index([sku]) on model OrderLine) is named "sku_lookup" in the database',
    ]);
  });

  describe('relations fixture (self relation, implicit many-to-many, Unsupported, db defaults)', () => {
    const relations = path.join(fixtures, 'relations');
    const relationsSchema = path.join(relations, 'schema.prisma');
    const relationsMigrations = path.join(relations, 'migrations');

    it('finds no difference after migrating', async () => {
      const url = await freshDatabase();
      await migrate({ databaseUrl: url, migrationsDir: relationsMigrations });
      expect(await diffSchemaAgainstDatabase({ schemaPath: relationsSchema, databaseUrl: url })).toEqual([]);
    });

    const relationCases: Array<[string, string, RegExp]> = [
      [
        'a dropped implicit many-to-many table',
        'DROP TABLE "_CategoryToPost"',
        /join table "_CategoryToPost" \(implicit many-to-many relation CategoryToPost\) is missing/,
      ],
      [
        'an optional relation not using the SetNull default',
        'ALTER TABLE "Author" DROP CONSTRAINT "Author_mentor_id_fkey"; ' +
          'ALTER TABLE "Author" ADD CONSTRAINT "Author_mentor_id_fkey" FOREIGN KEY ("mentor_id") REFERENCES "Author"("id") ON DELETE CASCADE ON UPDATE CASCADE',
        /foreign key "Author"\("mentor_id"\) -> "Author"\("id"\) \(Author\.mentor\) has ON DELETE Cascade, expected SetNull/,
      ],
      [
        'a dropped dbgenerated default',
        'ALTER TABLE "Author" ALTER COLUMN "id" DROP DEFAULT',
        /column "Author"\."id" \(Author\.id\) has default none, expected dbgenerated\("gen_random_uuid\(\)"\)/,
      ],
      ['a dropped Unsupported column', 'ALTER TABLE "Author" DROP COLUMN "search"', /column "Author"\."search" \(Author, Unsupported\) is missing/],
      [
        'a mapped unique index renamed',
        'ALTER INDEX "post_author_title" RENAME TO "Post_author_id_title_key"',
        /unique index "post_author_title" on "Post" \("author_id", "title"\).*is named "Post_author_id_title_key"/,
      ],
    ];

    it.each(relationCases)('reports %s', async (_label, alteration, expected) => {
      const url = await freshDatabase();
      await migrate({ databaseUrl: url, migrationsDir: relationsMigrations });
      await query(url, alteration);
      const diffs = await diffSchemaAgainstDatabase({ schemaPath: relationsSchema, databaseUrl: url });
      expect(diffs).toContainEqual(expect.stringMatching(expected));
    });
  });

  it('honours the schema parameter of the URL like Prisma', async () => {
    const url = await freshDatabase();
    const inApp = `${url}?schema=app`;
    await migrate({ databaseUrl: inApp, migrationsDir: fixtureMigrations });
    expect(await query(url, `SELECT to_regclass('app._prisma_migrations') IS NOT NULL AS ok`)).toEqual([{ ok: true }]);
    expect(await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: inApp })).toEqual([]);
    expect(await diffSchemaAgainstDatabase({ schemaPath, databaseUrl: url })).toContainEqual(expect.stringContaining('table "users" (model User) is missing'));
  });

  it('throws a readable error for an invalid schema', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'fabline-schema-'));
    tempDirs.push(dir);
    const bad = path.join(dir, 'schema.prisma');
    await writeFile(bad, 'datasource db {\n  provider = "postgresql"\n}\n\nmodel A {\n  id Int @id @nope\n}\n');
    await expect(diffSchemaAgainstDatabase({ schemaPath: bad, databaseUrl: serverUrl })).rejects.toThrow(/cannot read Prisma schema .*schema\.prisma: .*nope/s);
  });
});
