import type { DbColumn } from './catalog.ts';
import { expectedScalarTypes } from './columnTypes.ts';
import { defaultMatches, describeDefault, expectedDefault } from './defaults.ts';
import type { EnumNames } from './enums.ts';
import { type Field, type ModelInfo, q } from './prismaSchema.ts';

/**
 * A model's columns against its table's: each scalar and enum field's column (type, array,
 * nullability, default), its `Unsupported` columns (nullability), and columns no field maps to.
 */
export function compareColumns(
  { model, table, columnOf }: ModelInfo,
  dbColumns: Map<string, DbColumn>,
  unsupported: Map<string, { optional: boolean }> | undefined,
  enums: EnumNames,
): string[] {
  const diffs: string[] = [];
  const knownColumns = new Set<string>();
  for (const field of model.fields) {
    if (field.kind === 'object') continue;
    const columnName = columnOf(field.name);
    knownColumns.add(columnName);
    const where = `column ${q(table)}.${q(columnName)} (${model.name}.${field.name})`;
    const column = dbColumns.get(columnName);
    if (!column) diffs.push(`${where} is missing in the database`);
    else diffs.push(...compareColumn(where, field, column, enums));
  }
  for (const [columnName, info] of unsupported ?? []) {
    knownColumns.add(columnName);
    const column = dbColumns.get(columnName);
    const where = `column ${q(table)}.${q(columnName)} (${model.name}, Unsupported)`;
    if (!column) diffs.push(`${where} is missing in the database`);
    else if (column.not_null === info.optional) {
      diffs.push(`${where} is ${column.not_null ? 'NOT NULL' : 'nullable'} in the database, expected ${info.optional ? 'nullable' : 'NOT NULL'}`);
    }
  }
  for (const columnName of dbColumns.keys()) {
    if (!knownColumns.has(columnName)) diffs.push(`column ${q(table)}.${q(columnName)} exists in the database but not in model ${model.name}`);
  }
  return diffs;
}

function compareColumn(where: string, field: Field, column: DbColumn, enums: EnumNames): string[] {
  const diffs = compareType(where, field, column, enums);
  if (column.is_array !== field.isList) {
    diffs.push(`${where} is ${column.is_array ? '' : 'not '}an array in the database, but the field is ${field.isList ? '' : 'not '}a list`);
  }
  // Prisma creates scalar lists as nullable array columns
  const expectNotNull = field.isRequired && !field.isList;
  if (column.not_null !== expectNotNull) {
    diffs.push(
      expectNotNull ? `${where} is nullable in the database but required in the schema` : `${where} is NOT NULL in the database but optional in the schema`,
    );
  }
  const expected = expectedDefault(field);
  if (!defaultMatches(expected, column, field, enums.valueOf)) {
    const actual = column.default_expr ?? (column.identity ? 'identity' : 'none');
    diffs.push(`${where} has default ${actual}, expected ${describeDefault(expected)}`);
  }
  return diffs;
}

function compareType(where: string, field: Field, column: DbColumn, enums: EnumNames): string[] {
  if (field.kind === 'enum') {
    const enumDbName = enums.typeOf(field.type);
    const matches = column.base_typtype === 'e' && column.base_typname === enumDbName;
    return matches ? [] : [`${where} has type ${column.base_type}, expected enum ${q(enumDbName)}`];
  }
  if (field.kind !== 'scalar') return [];
  const accepted = expectedScalarTypes(field);
  return accepted.length > 0 && !accepted.includes(column.base_type) ? [`${where} has type ${column.base_type}, expected ${accepted.join(' or ')}`] : [];
}
