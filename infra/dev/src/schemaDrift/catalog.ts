import type pg from 'pg';

export interface DbColumn {
  table_name: string;
  column_name: string;
  not_null: boolean;
  default_expr: string | null;
  identity: string;
  is_array: boolean;
  base_typtype: string;
  base_typname: string;
  base_type: string;
}

export interface DbIndex {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  is_special: boolean;
  method: string;
  columns: string[];
  descending: boolean[];
}

export interface DbForeignKey {
  constraint_name: string;
  table_name: string;
  referenced_table: string;
  columns: string[];
  referenced_columns: string[];
  on_delete: string;
  on_update: string;
}

export interface DbState {
  tables: Set<string>;
  columns: Map<string, Map<string, DbColumn>>;
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
  enums: Map<string, string[]>;
}

/** Tables (plain and partitioned, not partitions). */
const TABLES_SQL = `SELECT c.relname AS table_name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

/** Columns with nullability, default, identity and type (element type for arrays). */
const COLUMNS_SQL = `SELECT c.relname AS table_name,
            a.attname AS column_name,
            a.attnotnull AS not_null,
            pg_get_expr(d.adbin, d.adrelid) AS default_expr,
            a.attidentity::text AS identity,
            (t.typcategory = 'A' AND t.typelem <> 0) AS is_array,
            bt.typtype::text AS base_typtype,
            bt.typname::text AS base_typname,
            format_type(bt.oid, a.atttypmod) AS base_type
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_type t ON t.oid = a.atttypid
       JOIN pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem ELSE t.oid END
       LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`;

/** Indexes with their key columns and sort orders; `is_special` for partial and expression indexes. */
const INDEXES_SQL = `SELECT tc.relname AS table_name,
            ic.relname AS index_name,
            i.indisunique AS is_unique,
            i.indisprimary AS is_primary,
            (i.indexprs IS NOT NULL OR i.indpred IS NOT NULL) AS is_special,
            am.amname::text AS method,
            ARRAY(SELECT COALESCE(a.attname::text, '<expression>')
                    FROM generate_series(1, i.indnkeyatts) AS k(ord)
                    LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.ord - 1]
                   ORDER BY k.ord) AS columns,
            ARRAY(SELECT COALESCE(pg_index_column_has_property(i.indexrelid, k.ord, 'desc'), false)
                    FROM generate_series(1, i.indnkeyatts) AS k(ord)
                   ORDER BY k.ord) AS descending
       FROM pg_index i
       JOIN pg_class ic ON ic.oid = i.indexrelid
       JOIN pg_class tc ON tc.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
       JOIN pg_am am ON am.oid = ic.relam
      WHERE n.nspname = $1 AND tc.relkind IN ('r', 'p')
      ORDER BY tc.relname, ic.relname`;

/** Foreign keys with their columns on both sides and their ON DELETE / ON UPDATE actions. */
const FOREIGN_KEYS_SQL = `SELECT con.conname::text AS constraint_name,
            tc.relname::text AS table_name,
            rc.relname::text AS referenced_table,
            ARRAY(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.ord) AS columns,
            ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.attnum ORDER BY k.ord) AS referenced_columns,
            con.confdeltype::text AS on_delete,
            con.confupdtype::text AS on_update
       FROM pg_constraint con
       JOIN pg_class tc ON tc.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = tc.relnamespace
       JOIN pg_class rc ON rc.oid = con.confrelid
      WHERE con.contype = 'f' AND n.nspname = $1
      ORDER BY tc.relname, con.conname`;

/** Enum types with their labels in order. */
const ENUMS_SQL = `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1
      GROUP BY t.typname`;

/** What the schema drift check compares in the live database, read from the PostgreSQL catalog. */
export async function readDatabase(client: pg.Client, schema: string): Promise<DbState> {
  const read = async <R extends pg.QueryResultRow>(sql: string) => (await client.query<R>(sql, [schema])).rows;
  const tables = await read<{ table_name: string }>(TABLES_SQL);
  const columnRows = await read<DbColumn>(COLUMNS_SQL);
  const indexes = await read<DbIndex>(INDEXES_SQL);
  const foreignKeys = await read<DbForeignKey>(FOREIGN_KEYS_SQL);
  const enums = await read<{ name: string; labels: string[] }>(ENUMS_SQL);
  return {
    tables: new Set(tables.map((r) => r.table_name)),
    columns: columnsByTable(columnRows),
    indexes,
    foreignKeys,
    enums: new Map(enums.map((r) => [r.name, r.labels])),
  };
}

function columnsByTable(rows: DbColumn[]): Map<string, Map<string, DbColumn>> {
  const columns = new Map<string, Map<string, DbColumn>>();
  for (const row of rows) {
    const table = columns.get(row.table_name) ?? new Map<string, DbColumn>();
    table.set(row.column_name, row);
    columns.set(row.table_name, table);
  }
  return columns;
}
