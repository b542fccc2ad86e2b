import pg from 'pg';

/** Postgres SQLSTATE codes handled here. */
const DUPLICATE_DATABASE = '42P04';
const UNIQUE_VIOLATION = '23505';
const OBJECT_IN_USE = '55006';

/** Quote an SQL identifier (table, database, type name...) for Postgres. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The database name in a `postgresql://` URL (percent-decoded). */
export function databaseNameOf(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!name) throw new Error(`database URL has no database name: ${redactUrl(databaseUrl)}`);
  return name;
}

/** Same server, user and query parameters, other database. */
export function databaseUrlFor(baseUrl: string, name: string): string {
  if (!name) throw new Error('database name must not be empty');
  const url = new URL(baseUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}

/** The URL with its password masked, for error messages. */
export function redactUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return '<invalid database url>';
  }
}

async function withMaintenanceClient<T>(databaseUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrlFor(databaseUrl, 'postgres') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

function sqlState(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Create the database named in `databaseUrl` if it does not exist, connecting to the `postgres`
 * maintenance database of the same server. Returns true when this call created it.
 * Safe to call concurrently: losing the race is not an error.
 */
export async function ensureDatabase(databaseUrl: string): Promise<boolean> {
  const name = databaseNameOf(databaseUrl);
  return withMaintenanceClient(databaseUrl, async (client) => {
    for (let attempt = 0; ; attempt++) {
      const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if ((existing.rowCount ?? 0) > 0) return false;
      try {
        await client.query(`CREATE DATABASE ${quoteIdent(name)}`);
        return true;
      } catch (error) {
        const code = sqlState(error);
        // 42P04: created meanwhile; 23505: concurrent CREATE DATABASE hit the catalog's unique index.
        if (code === DUPLICATE_DATABASE || code === UNIQUE_VIOLATION) return false;
        // 55006: template database busy (another CREATE DATABASE copying it) — retry a few times.
        if (code === OBJECT_IN_USE && attempt < 10) {
          await new Promise((resolve) => setTimeout(resolve, 100 * (attempt + 1)));
          continue;
        }
        throw error;
      }
    }
  });
}

/** Drop the database named in `databaseUrl`, terminating its connections. No-op if missing. */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = databaseNameOf(databaseUrl);
  if (name === 'postgres') throw new Error('refusing to drop the postgres maintenance database');
  await withMaintenanceClient(databaseUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
  });
}
