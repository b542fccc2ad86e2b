/**
 * Compares a Prisma schema (via its DMMF) with a live PostgreSQL database and lists the
 * differences — the check `prisma migrate diff` would do, for machines without the schema engine.
 * One module per thing compared, under `schemaDrift/`: enums, columns (types, defaults), indexes,
 * relations (foreign keys, implicit join tables).
 */
import { readFile } from 'node:fs/promises';
import pg from 'pg';
import { type DbForeignKey, type DbIndex, type DbState, readDatabase } from './schemaDrift/catalog.ts';
import { compareColumns } from './schemaDrift/columns.ts';
import { compareEnums, enumNames } from './schemaDrift/enums.ts';
import { compareIndexes } from './schemaDrift/indexes.ts';
import { type Datamodel, loadDatamodel, modelInfos, q, type UnsupportedColumns, unsupportedColumns } from './schemaDrift/prismaSchema.ts';
import { compareForeignKeys, compareJoinTables, unclaimedForeignKeys } from './schemaDrift/relations.ts';

export interface SchemaDriftOptions {
  /** Path of the `schema.prisma` file. */
  schemaPath: string;
  databaseUrl: string;
  /** Postgres schema to inspect; defaults to the URL's `schema` parameter, else `public`. */
  schema?: string;
}

const IGNORED_TABLES = new Set(['_prisma_migrations']);

/**
 * Differences between `schema.prisma` and the live database, as human-readable sentences;
 * empty when the database matches the schema. Covers tables, columns (type, nullability,
 * defaults), primary keys, unique constraints, indexes, foreign keys and enums. Tables other
 * than `_prisma_migrations` that no model maps to are reported as well.
 */
export async function diffSchemaAgainstDatabase({ schemaPath, databaseUrl, schema }: SchemaDriftOptions): Promise<string[]> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const datamodel = await loadDatamodel(schemaPath, schemaText);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let db: DbState;
  try {
    db = await readDatabase(client, schema ?? new URL(databaseUrl).searchParams.get('schema') ?? 'public');
  } finally {
    await client.end().catch(() => undefined);
  }
  const relationModePrisma = /relationMode\s*=\s*"prisma"/.test(schemaText);
  return compare(datamodel, db, unsupportedColumns(schemaText), relationModePrisma);
}

/** Enums first, then model by model (columns, indexes, foreign keys), then what the database has besides. */
function compare(datamodel: Datamodel, db: DbState, unsupported: UnsupportedColumns, relationModePrisma: boolean): string[] {
  const diffs = compareEnums(datamodel.enums, db.enums);
  const enums = enumNames(datamodel.enums);
  const models = modelInfos(datamodel);
  const modelTables = new Set([...models.values()].map((m) => m.table));
  const claimedIndexes = new Set<DbIndex>();
  const claimedForeignKeys = new Set<DbForeignKey>();
  for (const info of models.values()) {
    if (!db.tables.has(info.table)) {
      diffs.push(`table ${q(info.table)} (model ${info.model.name}) is missing in the database`);
      continue;
    }
    diffs.push(...compareColumns(info, db.columns.get(info.table) ?? new Map(), unsupported.get(info.model.name), enums));
    diffs.push(...compareIndexes(info, datamodel.indexes, db.indexes, claimedIndexes));
    if (!relationModePrisma) diffs.push(...compareForeignKeys(info, models, db.foreignKeys, claimedForeignKeys));
  }
  const joinTables = compareJoinTables(models, db);
  diffs.push(...joinTables.diffs);
  if (!relationModePrisma) diffs.push(...unclaimedForeignKeys(db.foreignKeys, claimedForeignKeys, modelTables, joinTables.tables));
  for (const table of [...db.tables].sort()) {
    if (modelTables.has(table) || joinTables.tables.has(table) || IGNORED_TABLES.has(table)) continue;
    diffs.push(`table ${q(table)} exists in the database but no model maps to it`);
  }
  return diffs;
}
