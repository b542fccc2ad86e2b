import type { DbColumn } from './catalog.ts';
import type { Field } from './prismaSchema.ts';

export type ExpectedDefault =
  | { kind: 'none' }
  | { kind: 'sequence' }
  | { kind: 'now' }
  | { kind: 'expression'; text: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'any'; text: string };

const CLIENT_SIDE_DEFAULTS = new Set(['uuid', 'cuid', 'nanoid', 'ulid']);

export function expectedDefault(field: Field): ExpectedDefault {
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

export function describeDefault(expected: ExpectedDefault): string {
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

/** The database's name of an enum value (`@map`), by enum and value name. */
export type EnumValueDbName = (enumName: string, value: string) => string;

/** Whether the column's default is the one the field declares. */
export function defaultMatches(expected: ExpectedDefault, column: DbColumn, field: Field, enumValueDbName: EnumValueDbName): boolean {
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
    case 'literal':
      return expr !== null && literalMatches(expected.value, expr, field, enumValueDbName);
  }
}

function literalMatches(expected: string | number | boolean, expr: string, field: Field, enumValueDbName: EnumValueDbName): boolean {
  // Values whose textual form is rewritten by Postgres are only checked for presence.
  if (field.type === 'DateTime' || field.type === 'Bytes') return true;
  const actual = literalOfDefault(expr);
  if (field.kind === 'enum') return actual === enumValueDbName(field.type, String(expected));
  if (typeof expected === 'boolean') return actual.toLowerCase() === String(expected);
  if (['Int', 'BigInt', 'Float', 'Decimal'].includes(field.type)) return Number(actual) === Number(expected);
  if (field.type === 'Json') {
    try {
      return JSON.stringify(JSON.parse(actual)) === JSON.stringify(JSON.parse(String(expected)));
    } catch {
      return actual === String(expected);
    }
  }
  return actual === String(expected);
}
