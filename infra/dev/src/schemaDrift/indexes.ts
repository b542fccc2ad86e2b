import type { DbIndex } from './catalog.ts';
import { type DmmfIndex, type ModelInfo, q, qList, sameList } from './prismaSchema.ts';

/** Postgres truncates identifiers to 63 bytes; Prisma's default constraint names respect that. */
const MAX_IDENTIFIER_LENGTH = 63;

/**
 * A model's primary key, unique constraints and indexes against its table's. Each database index
 * found for one is added to `claimed`; those left over are reported as in the database only.
 */
export function compareIndexes(
  { model, table, columnOf }: ModelInfo,
  schemaIndexes: readonly DmmfIndex[],
  dbIndexes: readonly DbIndex[],
  claimed: Set<DbIndex>,
) {
  const diffs: string[] = [];
  const tableIndexes = dbIndexes.filter((i) => i.table_name === table);
  const modelIndexes = schemaIndexes.filter((i) => i.model === model.name && i.type !== 'fulltext');
  for (const index of modelIndexes) {
    const diff = compareIndex(expectationOf(index, table, columnOf), tableIndexes, claimed);
    if (diff) diffs.push(diff);
  }
  if (!modelIndexes.some((i) => i.type === 'id')) {
    const pk = tableIndexes.find((i) => i.is_primary);
    if (pk) {
      claimed.add(pk);
      diffs.push(`table ${q(table)} has primary key ${qList(pk.columns)} but model ${model.name} has no @id / @@id`);
    }
  }
  for (const index of tableIndexes) {
    if (claimed.has(index)) continue;
    const kind = index.is_primary ? 'primary key' : index.is_unique ? 'unique index' : 'index';
    diffs.push(`${kind} ${q(index.index_name)} on ${q(table)} ${qList(index.columns)} exists in the database but not in model ${model.name}`);
  }
  return diffs;
}

/** What the database should hold for one `@id`, `@unique`, `@@index`…, and how to name it in a sentence. */
interface IndexExpectation {
  name: string;
  /** False when the name is Prisma's default trimmed to 63 characters, which another tool may trim otherwise. */
  nameIsCertain: boolean;
  columns: string[];
  descending: boolean[];
  isPrimary: boolean;
  isUnique: boolean;
  method: string;
  where: string;
}

function expectationOf(index: DmmfIndex, table: string, columnOf: (fieldName: string) => string): IndexExpectation {
  const columns = index.fields.map((f) => columnOf(f.name));
  const isPrimary = index.type === 'id';
  const isUnique = index.type === 'unique' || isPrimary;
  const fallback = defaultConstraintName(table, isPrimary ? [] : columns, isPrimary ? 'pkey' : isUnique ? 'key' : 'idx');
  const name = index.dbName ?? fallback.name;
  const kind = isPrimary ? 'primary key' : isUnique ? 'unique index' : 'index';
  return {
    name,
    nameIsCertain: index.dbName !== undefined || !fallback.trimmed,
    columns,
    descending: index.fields.map((f) => f.sortOrder === 'desc'),
    isPrimary,
    isUnique,
    method: index.algorithm ? index.algorithm.toLowerCase() : 'btree',
    where: `${kind} ${q(name)} on ${q(table)} ${qList(columns)} (${sourceOf(index)})`,
  };
}

/** Prisma's default constraint/index name: `{table}_{columns}_{suffix}`, trimmed to 63 characters. */
function defaultConstraintName(table: string, columns: readonly string[], suffix: string): { name: string; trimmed: boolean } {
  const base = columns.length > 0 ? `${table}_${columns.join('_')}` : table;
  const max = MAX_IDENTIFIER_LENGTH - suffix.length - 1;
  return { name: `${base.slice(0, max)}_${suffix}`, trimmed: base.length > max };
}

/** Where the schema declares the index: `@id on User.id`, `@@unique([a, b]) on model X`… */
function sourceOf(index: DmmfIndex): string {
  const fieldList = index.fields.map((f) => f.name).join(', ');
  if (index.type === 'id') return index.isDefinedOnField ? `@id on ${index.model}.${fieldList}` : `@@id([${fieldList}]) on model ${index.model}`;
  if (index.type === 'unique') return index.isDefinedOnField ? `@unique on ${index.model}.${fieldList}` : `@@unique([${fieldList}]) on model ${index.model}`;
  return `@@index([${fieldList}]) on model ${index.model}`;
}

const definitionMatches = (i: DbIndex, expected: IndexExpectation): boolean =>
  i.is_primary === expected.isPrimary &&
  i.is_unique === expected.isUnique &&
  !i.is_special &&
  sameList(i.columns, expected.columns) &&
  sameList(i.descending, expected.descending) &&
  (expected.isPrimary || i.method === expected.method);

/** Finds the index by its expected name, else by its definition (claiming it); the difference, if any. */
function compareIndex(expected: IndexExpectation, tableIndexes: readonly DbIndex[], claimed: Set<DbIndex>): string | undefined {
  const byName = tableIndexes.find((i) => i.index_name === expected.name && !claimed.has(i));
  if (byName) {
    claimed.add(byName);
    return definitionMatches(byName, expected) ? undefined : `${expected.where} differs in the database: it ${problemsOf(byName, expected).join(', ')}`;
  }
  const byDefinition = tableIndexes.find((i) => !claimed.has(i) && definitionMatches(i, expected));
  if (!byDefinition) return `${expected.where} is missing in the database`;
  claimed.add(byDefinition);
  return expected.nameIsCertain ? `${expected.where} is named ${q(byDefinition.index_name)} in the database` : undefined;
}

function problemsOf(actual: DbIndex, expected: IndexExpectation): string[] {
  const problems: string[] = [];
  if (!sameList(actual.columns, expected.columns)) problems.push(`covers ${qList(actual.columns)}`);
  else if (!sameList(actual.descending, expected.descending)) {
    problems.push(`has sort orders [${actual.descending.map((d) => (d ? 'desc' : 'asc')).join(', ')}]`);
  }
  if (actual.is_primary !== expected.isPrimary) problems.push(actual.is_primary ? 'is the primary key' : 'is not the primary key');
  if (actual.is_unique !== expected.isUnique) problems.push(actual.is_unique ? 'is unique' : 'is not unique');
  if (actual.is_special) problems.push('is partial or on expressions');
  if (!expected.isPrimary && actual.method !== expected.method) problems.push(`uses ${actual.method} instead of ${expected.method}`);
  return problems;
}
