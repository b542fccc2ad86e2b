/**
 * Compares a Prisma schema (via its DMMF) with a live PostgreSQL database and lists the
 * differences — the check `prisma migrate diff` would do, for machines without the schema engine.
 */
import { readFile } from 'node:fs/promises';
import { type GetDMMFError, getDMMF } from '@prisma/get-dmmf';
import pg from 'pg';

type Dmmf = Exclude<Awaited<ReturnType<typeof getDMMF>>, GetDMMFError>;
type Datamodel = Dmmf['datamodel'];
type Model = Datamodel['models'][number];
type Field = Model['fields'][number];
type DmmfIndex = Datamodel['indexes'][number];

export interface SchemaDriftOptions {
  /** Path of the `schema.prisma` file. */
  schemaPath: string;
  databaseUrl: string;
  /** Postgres schema to inspect; defaults to the URL's `schema` parameter, else `public`. */
  schema?: string;
}

/** Postgres truncates identifiers to 63 bytes; Prisma's default constraint names respect that. */
const MAX_IDENTIFIER_LENGTH = 63;

const IGNORED_TABLES = new Set(['_prisma_migrations']);

interface DbColumn {
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

interface DbIndex {
  table_name: string;
  index_name: string;
  is_unique: boolean;
  is_primary: boolean;
  is_special: boolean;
  method: string;
  columns: string[];
  descending: boolean[];
}

interface DbForeignKey {
  constraint_name: string;
  table_name: string;
  referenced_table: string;
  columns: string[];
  referenced_columns: string[];
  on_delete: string;
  on_update: string;
}

interface DbState {
  tables: Set<string>;
  columns: Map<string, Map<string, DbColumn>>;
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
  enums: Map<string, string[]>;
}

const FK_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

const q = (name: string): string => `"${name}"`;
const qList = (names: readonly string[]): string => `(${names.map(q).join(', ')})`;
const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((value, i) => value === b[i]);

function stripAnsi(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}

function dmmfErrorMessage(error: GetDMMFError): string {
  const raw = error.error?.message ?? error.reason;
  try {
    const parsed = JSON.parse(raw) as { message?: unknown };
    if (typeof parsed.message === 'string') return stripAnsi(parsed.message);
  } catch {
    // not JSON
  }
  return stripAnsi(raw);
}

async function loadDmmf(schemaPath: string, datamodel: string): Promise<Dmmf> {
  const result = await getDMMF({ datamodel });
  if ('reason' in result && 'error' in result) {
    throw new Error(`cannot read Prisma schema ${schemaPath}: ${dmmfErrorMessage(result)}`);
  }
  return result as Dmmf;
}

/** Columns declared as `Unsupported("...")`, which the DMMF leaves out: model name → column names. */
function unsupportedColumns(schemaText: string): Map<string, Map<string, { optional: boolean }>> {
  const byModel = new Map<string, Map<string, { optional: boolean }>>();
  const modelRe = /^\s*model\s+(\w+)\s*\{([\s\S]*?)^\s*\}/gm;
  for (const match of schemaText.matchAll(modelRe)) {
    const [, modelName, body] = match;
    if (!modelName || body === undefined) continue;
    for (const line of body.split('\n')) {
      const field = /^\s*(\w+)\s+Unsupported\("(?:[^"\\]|\\.)*"\)(\?|\[\])?(.*)$/.exec(line);
      if (!field?.[1]) continue;
      const mapped = /@map\(\s*(?:name:\s*)?"([^"]+)"\s*\)/.exec(field[3] ?? '');
      const columns = byModel.get(modelName) ?? new Map<string, { optional: boolean }>();
      columns.set(mapped?.[1] ?? field[1], { optional: field[2] === '?' });
      byModel.set(modelName, columns);
    }
  }
  return byModel;
}

async function readDatabase(client: pg.Client, schema: string): Promise<DbState> {
  const tablesResult = await client.query<{ table_name: string }>(
    `SELECT c.relname AS table_name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND NOT c.relispartition`,
    [schema],
  );
  const columnsResult = await client.query<DbColumn>(
    `SELECT c.relname AS table_name,
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
      ORDER BY c.relname, a.attnum`,
    [schema],
  );
  const indexesResult = await client.query<DbIndex>(
    `SELECT tc.relname AS table_name,
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
      ORDER BY tc.relname, ic.relname`,
    [schema],
  );
  const fkResult = await client.query<DbForeignKey>(
    `SELECT con.conname::text AS constraint_name,
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
      ORDER BY tc.relname, con.conname`,
    [schema],
  );
  const enumsResult = await client.query<{ name: string; labels: string[] }>(
    `SELECT t.typname::text AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels
       FROM pg_type t
       JOIN pg_namespace n ON n.oid = t.typnamespace
       JOIN pg_enum e ON e.enumtypid = t.oid
      WHERE n.nspname = $1
      GROUP BY t.typname`,
    [schema],
  );

  const columns = new Map<string, Map<string, DbColumn>>();
  for (const row of columnsResult.rows) {
    const table = columns.get(row.table_name) ?? new Map<string, DbColumn>();
    table.set(row.column_name, row);
    columns.set(row.table_name, table);
  }
  return {
    tables: new Set(tablesResult.rows.map((r) => r.table_name)),
    columns,
    indexes: indexesResult.rows,
    foreignKeys: fkResult.rows,
    enums: new Map(enumsResult.rows.map((r) => [r.name, r.labels])),
  };
}

/** Prisma's default constraint/index name: `{table}_{columns}_{suffix}`, trimmed to 63 characters. */
function defaultConstraintName(table: string, columns: readonly string[], suffix: string): { name: string; trimmed: boolean } {
  const base = columns.length > 0 ? `${table}_${columns.join('_')}` : table;
  const max = MAX_IDENTIFIER_LENGTH - suffix.length - 1;
  return { name: `${base.slice(0, max)}_${suffix}`, trimmed: base.length > max };
}

/** Acceptable `format_type()` renderings of a scalar field's column type (element type for lists). */
function expectedScalarTypes(field: Field): string[] {
  const native = field.nativeType;
  if (native) {
    const [name, args] = native;
    const withArgs = (pgName: string, defaultArg?: string): string[] =>
      args.length > 0 ? [`${pgName}(${args.join(',')})`] : defaultArg === undefined ? [pgName] : [pgName, `${pgName}(${defaultArg})`];
    const timeType = (pgName: string, zone: string): string[] =>
      args.length > 0 ? [`${pgName}(${args.join(',')}) ${zone}`] : [`${pgName} ${zone}`, `${pgName}(6) ${zone}`];
    switch (name) {
      case 'Text':
        return ['text'];
      case 'Char':
        return withArgs('character', '1');
      case 'VarChar':
        return withArgs('character varying');
      case 'Bit':
        return withArgs('bit', '1');
      case 'VarBit':
        return withArgs('bit varying');
      case 'Uuid':
        return ['uuid'];
      case 'Xml':
        return ['xml'];
      case 'Inet':
        return ['inet'];
      case 'Citext':
        return ['citext'];
      case 'Boolean':
        return ['boolean'];
      case 'SmallInt':
        return ['smallint'];
      case 'Integer':
        return ['integer'];
      case 'BigInt':
        return ['bigint'];
      case 'Oid':
        return ['oid'];
      case 'Real':
        return ['real'];
      case 'DoublePrecision':
        return ['double precision'];
      case 'Decimal':
        return withArgs('numeric');
      case 'Money':
        return ['money'];
      case 'Timestamp':
        return timeType('timestamp', 'without time zone');
      case 'Timestamptz':
        return timeType('timestamp', 'with time zone');
      case 'Time':
        return timeType('time', 'without time zone');
      case 'Timetz':
        return timeType('time', 'with time zone');
      case 'Date':
        return ['date'];
      case 'Json':
        return ['json'];
      case 'JsonB':
        return ['jsonb'];
      case 'ByteA':
        return ['bytea'];
      default:
        return [];
    }
  }
  switch (field.type) {
    case 'String':
      return ['text'];
    case 'Boolean':
      return ['boolean'];
    case 'Int':
      return ['integer'];
    case 'BigInt':
      return ['bigint'];
    case 'Float':
      return ['double precision'];
    case 'Decimal':
      return ['numeric(65,30)'];
    case 'DateTime':
      return ['timestamp(3) without time zone'];
    case 'Json':
      return ['jsonb'];
    case 'Bytes':
      return ['bytea'];
    default:
      return [];
  }
}

type ExpectedDefault =
  | { kind: 'none' }
  | { kind: 'sequence' }
  | { kind: 'now' }
  | { kind: 'expression'; text: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'any'; text: string };

const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

function expectedDefault(field: Field): ExpectedDefault {
  const value = field.default;
  if (!field.hasDefaultValue || value === undefined || value === null) return { kind: 'none' };
  if (Array.isArray(value)) return { kind: 'any', text: JSON.stringify(value) };
  if (typeof value === 'object') {
    const fn = value as { name: string; args: readonly (string | number)[] };
    if (CLIENT_SIDE_DEFAULTS.has(fn.name)) return { kind: 'none' };
    if (fn.name === 'autoincrement' || fn.name === 'sequence') return { kind: 'sequence' };
    if (fn.name === 'now') return { kind: 'now' };
    if (fn.name === 'dbgenerated') {
      const arg = fn.args[0];
      // dbgenerated() without an argument means "the database computes it somehow" (e.g. a trigger).
      return arg === undefined || arg === '' ? { kind: 'none' } : { kind: 'expression', text: String(arg) };
    }
    return { kind: 'any', text: `${fn.name}()` };
  }
  return { kind: 'literal', value };
}

function describeDefault(expected: ExpectedDefault): string {
  switch (expected.kind) {
    case 'none':
      return 'none';
    case 'sequence':
      return 'autoincrement()';
    case 'now':
      return 'now()';
    case 'expression':
      return `dbgenerated("${expected.text}")`;
    case 'literal':
      return JSON.stringify(expected.value);
    case 'any':
      return expected.text;
  }
}

/** `'abc'::text` → `abc`, `(-1)` → `-1`, `'{}'::jsonb` → `{}`. */
function literalOfDefault(expr: string): string {
  let text = expr.trim();
  for (let i = 0; i < 5; i++) {
    const before = text;
    text = text.replace(/::[\w\s".[\]()]+$/, '').trim();
    if (text.startsWith('(') && text.endsWith(')')) text = text.slice(1, -1).trim();
    if (text === before) break;
  }
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) {
    text = text.slice(1, -1).replaceAll("''", "'");
  }
  return text;
}

function defaultMatches(expected: ExpectedDefault, column: DbColumn, field: Field, enumValueDbName: (enumName: string, value: string) => string): boolean {
  const expr = column.default_expr;
  const hasIdentity = column.identity === 'a' || column.identity === 'd';
  switch (expected.kind) {
    case 'none':
      return expr === null && !hasIdentity;
    case 'sequence':
      return hasIdentity || (expr !== null && /^nextval\(/i.test(expr));
    case 'now':
      return expr !== null && /^(CURRENT_TIMESTAMP(\(\d+\))?|now\(\)|LOCALTIMESTAMP(\(\d+\))?)$/i.test(expr.trim());
    case 'expression':
    case 'any':
      return expr !== null;
    case 'literal': {
      if (expr === null) return false;
      // Values whose textual form is rewritten by Postgres are only checked for presence.
      if (field.type === 'DateTime' || field.type === 'Bytes') return true;
      const actual = literalOfDefault(expr);
      if (field.kind === 'enum') return actual === enumValueDbName(field.type, String(expected.value));
      if (typeof expected.value === 'boolean') return actual.toLowerCase() === String(expected.value);
      if (['Int', 'BigInt', 'Float', 'Decimal'].includes(field.type)) {
        return Number(actual) === Number(expected.value);
      }
      if (field.type === 'Json') {
        try {
          return JSON.stringify(JSON.parse(actual)) === JSON.stringify(JSON.parse(String(expected.value)));
        } catch {
          return actual === String(expected.value);
        }
      }
      return actual === String(expected.value);
    }
  }
}

interface ModelInfo {
  model: Model;
  table: string;
  columnOf: (fieldName: string) => string;
}

/**
 * Differences between `schema.prisma` and the live database, as human-readable sentences;
 * empty when the database matches the schema. Covers tables, columns (type, nullability,
 * defaults), primary keys, unique constraints, indexes, foreign keys and enums. Tables other
 * than `_prisma_migrations` that no model maps to are reported as well.
 */
export async function diffSchemaAgainstDatabase({ schemaPath, databaseUrl, schema }: SchemaDriftOptions): Promise<string[]> {
  const schemaText = await readFile(schemaPath, 'utf8');
  const dmmf = await loadDmmf(schemaPath, schemaText);
  const dbSchema = schema ?? new URL(databaseUrl).searchParams.get('schema') ?? 'public';
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  let db: DbState;
  try {
    db = await readDatabase(client, dbSchema);
  } finally {
    await client.end().catch(() => undefined);
  }
  const relationModePrisma = /relationMode\s*=\s*"prisma"/.test(schemaText);
  return compare(dmmf.datamodel, db, unsupportedColumns(schemaText), relationModePrisma);
}

function compare(datamodel: Datamodel, db: DbState, unsupported: Map<string, Map<string, { optional: boolean }>>, relationModePrisma: boolean): string[] {
  const diffs: string[] = [];

  // ---- enums
  const enumDbNames = new Map<string, string>();
  const enumValueDbNames = new Map<string, Map<string, string>>();
  for (const e of datamodel.enums) {
    const dbName = e.dbName ?? e.name;
    enumDbNames.set(e.name, dbName);
    enumValueDbNames.set(e.name, new Map(e.values.map((v) => [v.name, v.dbName ?? v.name])));
    const expected = e.values.map((v) => v.dbName ?? v.name);
    const actual = db.enums.get(dbName);
    if (!actual) {
      diffs.push(`enum type ${q(dbName)} (enum ${e.name}) is missing in the database`);
    } else if (!sameList(actual, expected)) {
      const missing = expected.filter((v) => !actual.includes(v));
      const extra = actual.filter((v) => !expected.includes(v));
      const parts = [
        missing.length > 0 ? `missing ${missing.map((v) => `'${v}'`).join(', ')}` : '',
        extra.length > 0 ? `extra ${extra.map((v) => `'${v}'`).join(', ')}` : '',
        missing.length === 0 && extra.length === 0 ? `order is [${actual.join(', ')}], expected [${expected.join(', ')}]` : '',
      ].filter(Boolean);
      diffs.push(`enum type ${q(dbName)} (enum ${e.name}) values differ: ${parts.join('; ')}`);
    }
  }
  const schemaEnumNames = new Set(enumDbNames.values());
  for (const name of db.enums.keys()) {
    if (!schemaEnumNames.has(name)) diffs.push(`enum type ${q(name)} exists in the database but not in the schema`);
  }
  const enumValueDbName = (enumName: string, value: string): string => enumValueDbNames.get(enumName)?.get(value) ?? value;

  // ---- models
  const models = new Map<string, ModelInfo>();
  for (const model of datamodel.models) {
    const fieldColumns = new Map(model.fields.map((f) => [f.name, f.dbName ?? f.name]));
    models.set(model.name, {
      model,
      table: model.dbName ?? model.name,
      columnOf: (fieldName) => fieldColumns.get(fieldName) ?? fieldName,
    });
  }

  const expectedTables = new Set<string>();
  const claimedIndexes = new Set<DbIndex>();
  const claimedForeignKeys = new Set<DbForeignKey>();

  for (const { model, table, columnOf } of models.values()) {
    expectedTables.add(table);
    const label = `model ${model.name}`;
    if (!db.tables.has(table)) {
      diffs.push(`table ${q(table)} (${label}) is missing in the database`);
      continue;
    }
    const dbColumns = db.columns.get(table) ?? new Map<string, DbColumn>();
    const knownColumns = new Set<string>();

    for (const field of model.fields) {
      if (field.kind === 'object') continue;
      const columnName = columnOf(field.name);
      knownColumns.add(columnName);
      const where = `column ${q(table)}.${q(columnName)} (${model.name}.${field.name})`;
      const column = dbColumns.get(columnName);
      if (!column) {
        diffs.push(`${where} is missing in the database`);
        continue;
      }

      // type
      if (field.kind === 'enum') {
        const enumDbName = enumDbNames.get(field.type) ?? field.type;
        if (column.base_typtype !== 'e' || column.base_typname !== enumDbName) {
          diffs.push(`${where} has type ${column.base_type}, expected enum ${q(enumDbName)}`);
        }
      } else if (field.kind === 'scalar') {
        const accepted = expectedScalarTypes(field);
        if (accepted.length > 0 && !accepted.includes(column.base_type)) {
          diffs.push(`${where} has type ${column.base_type}, expected ${accepted.join(' or ')}`);
        }
      }
      if (column.is_array !== field.isList) {
        diffs.push(`${where} is ${column.is_array ? '' : 'not '}an array in the database, but the field is ${field.isList ? '' : 'not '}a list`);
      }

      // nullability: Prisma creates scalar lists as nullable array columns.
      const expectNotNull = field.isRequired && !field.isList;
      if (column.not_null !== expectNotNull) {
        diffs.push(
          expectNotNull ? `${where} is nullable in the database but required in the schema` : `${where} is NOT NULL in the database but optional in the schema`,
        );
      }

      // default
      const expected = expectedDefault(field);
      if (!defaultMatches(expected, column, field, enumValueDbName)) {
        const actual = column.default_expr ?? (column.identity ? 'identity' : 'none');
        diffs.push(`${where} has default ${actual}, expected ${describeDefault(expected)}`);
      }
    }

    for (const [columnName, info] of unsupported.get(model.name) ?? []) {
      knownColumns.add(columnName);
      const column = dbColumns.get(columnName);
      const where = `column ${q(table)}.${q(columnName)} (${model.name}, Unsupported)`;
      if (!column) diffs.push(`${where} is missing in the database`);
      else if (column.not_null === info.optional) {
        diffs.push(`${where} is ${column.not_null ? 'NOT NULL' : 'nullable'} in the database, expected ${info.optional ? 'nullable' : 'NOT NULL'}`);
      }
    }
    for (const columnName of dbColumns.keys()) {
      if (!knownColumns.has(columnName)) {
        diffs.push(`column ${q(table)}.${q(columnName)} exists in the database but not in ${label}`);
      }
    }

    // ---- primary key, unique constraints and indexes
    const tableIndexes = db.indexes.filter((i) => i.table_name === table);
    const modelIndexes = datamodel.indexes.filter((i) => i.model === model.name && i.type !== 'fulltext');
    for (const index of modelIndexes) {
      compareIndex(index, table, columnOf, tableIndexes, claimedIndexes, diffs);
    }
    if (!modelIndexes.some((i) => i.type === 'id')) {
      const pk = tableIndexes.find((i) => i.is_primary);
      if (pk) {
        claimedIndexes.add(pk);
        diffs.push(`table ${q(table)} has primary key ${qList(pk.columns)} but ${label} has no @id / @@id`);
      }
    }
    for (const index of tableIndexes) {
      if (claimedIndexes.has(index)) continue;
      const kind = index.is_primary ? 'primary key' : index.is_unique ? 'unique index' : 'index';
      diffs.push(`${kind} ${q(index.index_name)} on ${q(table)} ${qList(index.columns)} exists in the database but not in ${label}`);
    }

    // ---- foreign keys
    if (relationModePrisma) continue;
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.relationFromFields || field.relationFromFields.length === 0) continue;
      const target = models.get(field.type);
      if (!target) continue;
      const columns = field.relationFromFields.map(columnOf);
      const refColumns = (field.relationToFields ?? []).map(target.columnOf);
      const fromRequired = field.relationFromFields.every((name) => model.fields.find((f) => f.name === name)?.isRequired ?? true);
      const onDelete = field.relationOnDelete ?? (fromRequired ? 'Restrict' : 'SetNull');
      const onUpdate = field.relationOnUpdate ?? 'Cascade';
      const where = `foreign key ${q(table)}${qList(columns)} -> ${q(target.table)}${qList(refColumns)} (${model.name}.${field.name})`;
      const fk = db.foreignKeys.find(
        (k) =>
          !claimedForeignKeys.has(k) &&
          k.table_name === table &&
          k.referenced_table === target.table &&
          sameList(k.columns, columns) &&
          sameList(k.referenced_columns, refColumns),
      );
      if (!fk) {
        diffs.push(`${where} is missing in the database`);
        continue;
      }
      claimedForeignKeys.add(fk);
      const actualDelete = FK_ACTIONS[fk.on_delete] ?? fk.on_delete;
      const actualUpdate = FK_ACTIONS[fk.on_update] ?? fk.on_update;
      if (actualDelete !== onDelete) diffs.push(`${where} has ON DELETE ${actualDelete}, expected ${onDelete}`);
      if (actualUpdate !== onUpdate) diffs.push(`${where} has ON UPDATE ${actualUpdate}, expected ${onUpdate}`);
    }
  }

  // ---- implicit many-to-many join tables (`_AToB` with columns A and B)
  const implicitTables = new Set<string>();
  for (const { model } of models.values()) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || !field.relationName) continue;
      const other = models.get(field.type)?.model.fields.find((f) => f.kind === 'object' && f.relationName === field.relationName && f !== field);
      if (!other?.isList) continue;
      const table = `_${field.relationName}`;
      if (implicitTables.has(table)) continue;
      implicitTables.add(table);
      if (!db.tables.has(table)) {
        diffs.push(`join table ${q(table)} (implicit many-to-many relation ${field.relationName}) is missing in the database`);
        continue;
      }
      const columns = db.columns.get(table);
      for (const col of ['A', 'B']) {
        if (!columns?.has(col)) diffs.push(`column ${q(table)}.${q(col)} (implicit many-to-many relation ${field.relationName}) is missing in the database`);
      }
    }
  }

  // ---- foreign keys no relation accounts for
  if (!relationModePrisma) {
    for (const fk of db.foreignKeys) {
      if (claimedForeignKeys.has(fk) || implicitTables.has(fk.table_name) || !expectedTables.has(fk.table_name)) continue;
      diffs.push(
        `foreign key ${q(fk.constraint_name)} ${q(fk.table_name)}${qList(fk.columns)} -> ${q(fk.referenced_table)}${qList(fk.referenced_columns)} exists in the database but not in the schema`,
      );
    }
  }

  // ---- tables no model maps to
  for (const table of [...db.tables].sort()) {
    if (expectedTables.has(table) || implicitTables.has(table) || IGNORED_TABLES.has(table)) continue;
    diffs.push(`table ${q(table)} exists in the database but no model maps to it`);
  }
  return diffs;
}

function compareIndex(
  index: DmmfIndex,
  table: string,
  columnOf: (fieldName: string) => string,
  tableIndexes: DbIndex[],
  claimed: Set<DbIndex>,
  diffs: string[],
): void {
  const columns = index.fields.map((f) => columnOf(f.name));
  const descending = index.fields.map((f) => f.sortOrder === 'desc');
  const isPrimary = index.type === 'id';
  const isUnique = index.type === 'unique' || isPrimary;
  const suffix = isPrimary ? 'pkey' : isUnique ? 'key' : 'idx';
  const fallback = defaultConstraintName(table, isPrimary ? [] : columns, suffix);
  const expectedName = index.dbName ?? fallback.name;
  const nameIsCertain = index.dbName !== undefined || !fallback.trimmed;
  const kind = isPrimary ? 'primary key' : isUnique ? 'unique index' : 'index';
  const fieldList = index.fields.map((f) => f.name).join(', ');
  const source = isPrimary
    ? index.isDefinedOnField
      ? `@id on ${index.model}.${fieldList}`
      : `@@id([${fieldList}]) on model ${index.model}`
    : isUnique
      ? index.isDefinedOnField
        ? `@unique on ${index.model}.${fieldList}`
        : `@@unique([${fieldList}]) on model ${index.model}`
      : `@@index([${fieldList}]) on model ${index.model}`;
  const where = `${kind} ${q(expectedName)} on ${q(table)} ${qList(columns)} (${source})`;
  const expectedMethod = index.algorithm ? index.algorithm.toLowerCase() : 'btree';

  const definitionMatches = (i: DbIndex): boolean =>
    i.is_primary === isPrimary &&
    i.is_unique === isUnique &&
    !i.is_special &&
    sameList(i.columns, columns) &&
    sameList(i.descending, descending) &&
    (isPrimary || i.method === expectedMethod);

  const byName = tableIndexes.find((i) => i.index_name === expectedName && !claimed.has(i));
  if (byName) {
    claimed.add(byName);
    if (definitionMatches(byName)) return;
    const problems: string[] = [];
    if (!sameList(byName.columns, columns)) problems.push(`covers ${qList(byName.columns)}`);
    else if (!sameList(byName.descending, descending)) {
      problems.push(`has sort orders [${byName.descending.map((d) => (d ? 'desc' : 'asc')).join(', ')}]`);
    }
    if (byName.is_primary !== isPrimary) problems.push(byName.is_primary ? 'is the primary key' : 'is not the primary key');
    if (byName.is_unique !== isUnique) problems.push(byName.is_unique ? 'is unique' : 'is not unique');
    if (byName.is_special) problems.push('is partial or on expressions');
    if (!isPrimary && byName.method !== expectedMethod) problems.push(`uses ${byName.method} instead of ${expectedMethod}`);
    diffs.push(`${where} differs in the database: it ${problems.join(', ')}`);
    return;
  }
  const byDefinition = tableIndexes.find((i) => !claimed.has(i) && definitionMatches(i));
  if (byDefinition) {
    claimed.add(byDefinition);
    if (nameIsCertain) diffs.push(`${where} is named ${q(byDefinition.index_name)} in the database`);
    return;
  }
  diffs.push(`${where} is missing in the database`);
}
