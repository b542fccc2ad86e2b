/**
 * SQL migration runner compatible with Prisma Migrate's `_prisma_migrations` bookkeeping.
 *
 * Applies `<migrationsDir>/<timestamp>_<name>/migration.sql` in lexical order, recording each one
 * exactly as `prisma migrate deploy` does, so the two tools can take turns on the same database.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { quoteIdent, redactUrl } from './database.ts';

/** Same advisory lock key as Prisma's schema engine, so our runner and Prisma exclude each other. */
export const MIGRATION_ADVISORY_LOCK_KEY = 72707369;

export const MIGRATIONS_TABLE = '_prisma_migrations';

/** DDL identical to the table Prisma's schema engine creates on PostgreSQL. */
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

export interface MigrateLogger {
  info(obj: object, msg?: string): void;
}

export interface MigrateOptions {
  /** postgresql:// URL of the target database (must exist; see ensureDatabase). A `schema` query parameter is honoured like Prisma does. */
  databaseUrl: string;
  /** Directory holding `<timestamp>_<name>/migration.sql` folders and optionally `migration_lock.toml`. */
  migrationsDir: string;
  logger?: MigrateLogger;
}

export interface MigrateResult {
  /** Migrations applied by this call, in order. */
  applied: string[];
  /** Migrations that were already applied (same checksum). */
  skipped: string[];
}

export interface LocalMigration {
  name: string;
  sql: string;
  /** sha256 hex of the migration.sql bytes — what Prisma stores in `_prisma_migrations.checksum`. */
  checksum: string;
  /** Checksums of the same script with other line endings (git autocrlf); Prisma accepts these too. */
  equivalentChecksums: string[];
}

interface MigrationRow {
  id: string;
  checksum: string;
  finished_at: Date | null;
  migration_name: string;
  logs: string | null;
  rolled_back_at: Date | null;
  started_at: Date;
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Throws unless `migration_lock.toml` (when present) declares the postgresql provider. */
async function checkMigrationLock(migrationsDir: string): Promise<void> {
  const lockPath = path.join(migrationsDir, 'migration_lock.toml');
  let text: string;
  try {
    text = await readFile(lockPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  const match = /^\s*provider\s*=\s*"([^"]*)"/m.exec(text);
  const provider = match?.[1];
  if (provider !== 'postgresql') {
    throw new Error(`${lockPath} declares provider ${provider === undefined ? '(none)' : `"${provider}"`}, expected "postgresql"`);
  }
}

/** Reads the migration folders of `migrationsDir`, sorted lexically by name (Prisma's order). */
export async function readMigrations(migrationsDir: string): Promise<LocalMigration[]> {
  if (!(await isDirectory(migrationsDir))) {
    throw new Error(`migrations directory not found: ${migrationsDir}`);
  }
  await checkMigrationLock(migrationsDir);
  const entries = await readdir(migrationsDir, { withFileTypes: true });
  const names = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const migrations: LocalMigration[] = [];
  for (const name of names) {
    const file = path.join(migrationsDir, name, 'migration.sql');
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new Error(`migration "${name}" has no migration.sql (${file})`);
      }
      throw error;
    }
    const sql = bytes.toString('utf8');
    const lf = sql.replaceAll('\r\n', '\n');
    const crlf = lf.replaceAll('\n', '\r\n');
    const checksum = sha256Hex(bytes);
    const equivalentChecksums = [...new Set([sha256Hex(lf), sha256Hex(crlf)])].filter((c) => c !== checksum);
    migrations.push({ name, sql, checksum, equivalentChecksums });
  }
  return migrations;
}

/**
 * Scripts that manage their own transaction (Prisma emits `BEGIN; ... COMMIT;` for enum swaps) are
 * sent as-is, without our wrapping transaction; Postgres still runs a multi-statement query string
 * atomically apart from the blocks the script commits itself.
 */
function hasOwnTransactionControl(sql: string): boolean {
  return /^\s*(BEGIN|START\s+TRANSACTION|COMMIT)\s*;/im.test(sql);
}

function formatDbError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const db = error as Error & Partial<pg.DatabaseError>;
  const lines = [];
  if (db.code) lines.push(`Database error code: ${db.code}`, '');
  lines.push('Database error:', `ERROR: ${db.message}`);
  if (db.detail) lines.push(`DETAIL: ${db.detail}`);
  if (db.hint) lines.push(`HINT: ${db.hint}`);
  if (db.where) lines.push(`CONTEXT: ${db.where}`);
  if (db.position) lines.push(`Position: ${db.position}`);
  return lines.join('\n');
}

function describeFailed(row: MigrationRow): string {
  const firstLog = row.logs
    ?.split('\n')
    .find((line) => line.startsWith('ERROR:'))
    ?.slice('ERROR: '.length);
  return `"${row.migration_name}" (started at ${row.started_at.toISOString()}${firstLog ? `, error: ${firstLog}` : ''})`;
}

/**
 * Apply pending migrations. Serialised across processes with Prisma's advisory lock; each
 * migration's SQL runs in one transaction together with the update marking it finished.
 *
 * Throws (applying nothing) when a migration already applied was edited afterwards, or when the
 * database holds a failed migration (Prisma's P3009) — resolve it with
 * `prisma migrate resolve --rolled-back <name>` (or `--applied`) or by fixing the row by hand.
 */
export async function migrate({ databaseUrl, migrationsDir, logger }: MigrateOptions): Promise<MigrateResult> {
  const migrations = await readMigrations(migrationsDir);
  const schema = new URL(databaseUrl).searchParams.get('schema');

  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new Error(`cannot connect to ${redactUrl(databaseUrl)}: ${errorMessage(error)}`, { cause: error });
  }
  let locked = false;
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_ADVISORY_LOCK_KEY]);
    locked = true;
    if (schema) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`);
      await client.query(`SET search_path TO ${quoteIdent(schema)}`);
    }
    await client.query(CREATE_MIGRATIONS_TABLE);

    const { rows } = await client.query<MigrationRow>(
      `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at
         FROM "${MIGRATIONS_TABLE}" ORDER BY started_at, migration_name`,
    );

    const failed = rows.filter((row) => row.finished_at === null && row.rolled_back_at === null);
    if (failed.length > 0) {
      throw new Error(
        `migrate found failed migrations in the target database, new migrations will not be applied (P3009). ` +
          `Failed: ${failed.map(describeFailed).join('; ')}. ` +
          `Fix the database, then mark it with \`prisma migrate resolve --rolled-back <name>\` or \`--applied <name>\`.`,
      );
    }

    const appliedRows = new Map<string, MigrationRow>();
    for (const row of rows) {
      if (row.finished_at !== null && row.rolled_back_at === null) appliedRows.set(row.migration_name, row);
    }

    // Validate the whole plan before touching the schema.
    const pending: LocalMigration[] = [];
    const skipped: string[] = [];
    for (const migration of migrations) {
      const row = appliedRows.get(migration.name);
      if (!row) {
        pending.push(migration);
        continue;
      }
      if (row.checksum !== migration.checksum && !migration.equivalentChecksums.includes(row.checksum)) {
        throw new Error(
          `migration "${migration.name}" was modified after it was applied ` +
            `(database checksum ${row.checksum}, file checksum ${migration.checksum}). ` +
            `Revert the file and add a new migration instead.`,
        );
      }
      skipped.push(migration.name);
    }
    const localNames = new Set(migrations.map((m) => m.name));
    const unknown = [...appliedRows.keys()].filter((name) => !localNames.has(name));
    if (unknown.length > 0) {
      logger?.info({ migrations: unknown }, 'applied migrations not found in the migrations directory');
    }

    const applied: string[] = [];
    for (const migration of pending) {
      await applyOne(client, migration);
      applied.push(migration.name);
      logger?.info({ migration: migration.name }, 'applied migration');
    }
    logger?.info({ applied: applied.length, skipped: skipped.length }, 'migrations up to date');
    return { applied, skipped };
  } finally {
    if (locked) {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_ADVISORY_LOCK_KEY]).catch(() => undefined);
    }
    await client.end().catch(() => undefined);
  }
}

async function applyOne(client: pg.Client, migration: LocalMigration): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "${MIGRATIONS_TABLE}" (id, checksum, migration_name, started_at, applied_steps_count)
     VALUES ($1, $2, $3, now(), 0)`,
    [id, migration.checksum, migration.name],
  );
  const markFinished = `UPDATE "${MIGRATIONS_TABLE}" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`;
  const ownTransaction = hasOwnTransactionControl(migration.sql);
  try {
    if (ownTransaction) {
      await client.query(migration.sql);
      await client.query(markFinished, [id]);
    } else {
      await client.query('BEGIN');
      await client.query(migration.sql);
      await client.query(markFinished, [id]);
      await client.query('COMMIT');
    }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    const logs = `Migration ${migration.name} failed to apply.\n\n${formatDbError(error)}`;
    await client.query(`UPDATE "${MIGRATIONS_TABLE}" SET logs = $2 WHERE id = $1`, [id, logs]).catch(() => undefined);
    throw new Error(`migration "${migration.name}" failed: ${errorMessage(error)}`, { cause: error });
  }
}
