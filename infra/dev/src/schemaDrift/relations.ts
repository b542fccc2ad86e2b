import type { DbForeignKey, DbState } from './catalog.ts';
import { type Field, type ModelInfo, q, qList, sameList } from './prismaSchema.ts';

const FK_ACTIONS: Record<string, string> = {
  a: 'NoAction',
  r: 'Restrict',
  c: 'Cascade',
  n: 'SetNull',
  d: 'SetDefault',
};

/** The foreign key of each relation field holding one (columns, target, ON DELETE/UPDATE); found keys are added to `claimed`. */
export function compareForeignKeys(info: ModelInfo, models: Map<string, ModelInfo>, foreignKeys: readonly DbForeignKey[], claimed: Set<DbForeignKey>) {
  const diffs: string[] = [];
  for (const field of info.model.fields) {
    if (field.kind !== 'object' || !field.relationFromFields || field.relationFromFields.length === 0) continue;
    const target = models.get(field.type);
    if (target) diffs.push(...compareForeignKey(info, field, target, foreignKeys, claimed));
  }
  return diffs;
}

function compareForeignKey(
  { model, table, columnOf }: ModelInfo,
  field: Field,
  target: ModelInfo,
  foreignKeys: readonly DbForeignKey[],
  claimed: Set<DbForeignKey>,
): string[] {
  const from = field.relationFromFields ?? [];
  const columns = from.map(columnOf);
  const refColumns = (field.relationToFields ?? []).map(target.columnOf);
  const fromRequired = from.every((name) => model.fields.find((f) => f.name === name)?.isRequired ?? true);
  const onDelete = field.relationOnDelete ?? (fromRequired ? 'Restrict' : 'SetNull');
  const onUpdate = field.relationOnUpdate ?? 'Cascade';
  const where = `foreign key ${q(table)}${qList(columns)} -> ${q(target.table)}${qList(refColumns)} (${model.name}.${field.name})`;
  const fk = foreignKeys.find(
    (k) =>
      !claimed.has(k) &&
      k.table_name === table &&
      k.referenced_table === target.table &&
      sameList(k.columns, columns) &&
      sameList(k.referenced_columns, refColumns),
  );
  if (!fk) return [`${where} is missing in the database`];
  claimed.add(fk);
  const diffs: string[] = [];
  const actualDelete = FK_ACTIONS[fk.on_delete] ?? fk.on_delete;
  const actualUpdate = FK_ACTIONS[fk.on_update] ?? fk.on_update;
  if (actualDelete !== onDelete) diffs.push(`${where} has ON DELETE ${actualDelete}, expected ${onDelete}`);
  if (actualUpdate !== onUpdate) diffs.push(`${where} has ON UPDATE ${actualUpdate}, expected ${onUpdate}`);
  return diffs;
}

/** Implicit many-to-many join tables (`_AToB` with columns A and B): the ones the schema implies, and what is missing of them. */
export function compareJoinTables(models: Map<string, ModelInfo>, db: DbState): { tables: Set<string>; diffs: string[] } {
  const tables = new Set<string>();
  const diffs: string[] = [];
  for (const { model } of models.values()) {
    for (const field of model.fields) {
      if (field.kind !== 'object' || !field.isList || !field.relationName) continue;
      const other = models.get(field.type)?.model.fields.find((f) => f.kind === 'object' && f.relationName === field.relationName && f !== field);
      const table = `_${field.relationName}`;
      if (!other?.isList || tables.has(table)) continue;
      tables.add(table);
      diffs.push(...compareJoinTable(table, field.relationName, db));
    }
  }
  return { tables, diffs };
}

function compareJoinTable(table: string, relation: string, db: DbState): string[] {
  if (!db.tables.has(table)) return [`join table ${q(table)} (implicit many-to-many relation ${relation}) is missing in the database`];
  const columns = db.columns.get(table);
  return ['A', 'B']
    .filter((col) => !columns?.has(col))
    .map((col) => `column ${q(table)}.${q(col)} (implicit many-to-many relation ${relation}) is missing in the database`);
}

/** Foreign keys on the schema's tables that no relation accounts for. */
export function unclaimedForeignKeys(foreignKeys: readonly DbForeignKey[], claimed: Set<DbForeignKey>, modelTables: Set<string>, joinTables: Set<string>) {
  return foreignKeys
    .filter((fk) => !claimed.has(fk) && !joinTables.has(fk.table_name) && modelTables.has(fk.table_name))
    .map(
      (fk) =>
        `foreign key ${q(fk.constraint_name)} ${q(fk.table_name)}${qList(fk.columns)} -> ${q(fk.referenced_table)}${qList(fk.referenced_columns)} exists in the database but not in the schema`,
    );
}
