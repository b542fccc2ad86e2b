import type { EnumValueDbName } from './defaults.ts';
import { type DmmfEnum, q, sameList } from './prismaSchema.ts';

/** The database names of the schema's enums and their values (`@@map`, `@map`). */
export interface EnumNames {
  typeOf: (enumName: string) => string;
  valueOf: EnumValueDbName;
}

export function enumNames(enums: readonly DmmfEnum[]): EnumNames {
  const types = new Map(enums.map((e) => [e.name, e.dbName ?? e.name]));
  const values = new Map(enums.map((e) => [e.name, new Map(e.values.map((v) => [v.name, v.dbName ?? v.name]))]));
  return {
    typeOf: (enumName) => types.get(enumName) ?? enumName,
    valueOf: (enumName, value) => values.get(enumName)?.get(value) ?? value,
  };
}

/** Enum types missing, with other values or another order, or in the database only. */
export function compareEnums(enums: readonly DmmfEnum[], dbEnums: Map<string, string[]>): string[] {
  const diffs: string[] = [];
  for (const e of enums) {
    const dbName = e.dbName ?? e.name;
    const expected = e.values.map((v) => v.dbName ?? v.name);
    const actual = dbEnums.get(dbName);
    if (!actual) diffs.push(`enum type ${q(dbName)} (enum ${e.name}) is missing in the database`);
    else if (!sameList(actual, expected)) diffs.push(`enum type ${q(dbName)} (enum ${e.name}) values differ: ${valueDifferences(actual, expected)}`);
  }
  const schemaEnumNames = new Set(enums.map((e) => e.dbName ?? e.name));
  for (const name of dbEnums.keys()) {
    if (!schemaEnumNames.has(name)) diffs.push(`enum type ${q(name)} exists in the database but not in the schema`);
  }
  return diffs;
}

function valueDifferences(actual: string[], expected: string[]): string {
  const missing = expected.filter((v) => !actual.includes(v));
  const extra = actual.filter((v) => !expected.includes(v));
  return [
    missing.length > 0 ? `missing ${missing.map((v) => `'${v}'`).join(', ')}` : '',
    extra.length > 0 ? `extra ${extra.map((v) => `'${v}'`).join(', ')}` : '',
    missing.length === 0 && extra.length === 0 ? `order is [${actual.join(', ')}], expected [${expected.join(', ')}]` : '',
  ]
    .filter(Boolean)
    .join('; ');
}
