import { type GetDMMFError, getDMMF } from '@prisma/get-dmmf';

type Dmmf = Exclude<Awaited<ReturnType<typeof getDMMF>>, GetDMMFError>;
export type Datamodel = Dmmf['datamodel'];
export type Model = Datamodel['models'][number];
export type Field = Model['fields'][number];
export type DmmfIndex = Datamodel['indexes'][number];
export type DmmfEnum = Datamodel['enums'][number];

/** Columns declared as `Unsupported("...")`, which the DMMF leaves out: model name → column name → nullability. */
export type UnsupportedColumns = Map<string, Map<string, { optional: boolean }>>;

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

/** The schema's datamodel as Prisma reads it; throws a readable error for an invalid schema. */
export async function loadDatamodel(schemaPath: string, schemaText: string): Promise<Datamodel> {
  const result = await getDMMF({ datamodel: schemaText });
  if ('reason' in result && 'error' in result) {
    throw new Error(`cannot read Prisma schema ${schemaPath}: ${dmmfErrorMessage(result)}`);
  }
  return (result as Dmmf).datamodel;
}

export function unsupportedColumns(schemaText: string): UnsupportedColumns {
  const byModel: UnsupportedColumns = new Map();
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

/** A model with the table and column names it maps to. */
export interface ModelInfo {
  model: Model;
  table: string;
  columnOf: (fieldName: string) => string;
}

export function modelInfos(datamodel: Datamodel): Map<string, ModelInfo> {
  const models = new Map<string, ModelInfo>();
  for (const model of datamodel.models) {
    const fieldColumns = new Map(model.fields.map((f) => [f.name, f.dbName ?? f.name]));
    models.set(model.name, {
      model,
      table: model.dbName ?? model.name,
      columnOf: (fieldName) => fieldColumns.get(fieldName) ?? fieldName,
    });
  }
  return models;
}

export const q = (name: string): string => `"${name}"`;
export const qList = (names: readonly string[]): string => `(${names.map(q).join(', ')})`;
export const sameList = <T>(a: readonly T[], b: readonly T[]): boolean => a.length === b.length && a.every((value, i) => value === b[i]);
