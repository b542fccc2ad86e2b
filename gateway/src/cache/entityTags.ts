import {
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isCompositeType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  parse,
  type SelectionNode,
} from 'graphql';

/** Entity types and their key field sets (`Order` → [['id']], `Material` → [['code']]). */
export type EntityKeys = Map<string, string[][]>;

/** A tag naming one entity: `Order:123`. */
export const entityTag = (type: string, id: string) => `${type}:${id}`;
/** Every response holding any `type` carries this tag, for invalidation by type. */
export const typeTag = (type: string) => type;
/** A response holding a `type` whose key was not selected: any change to that type drops it. */
export const unknownEntityTag = (type: string) => `${type}:?`;
/** Tag of a response whose entities could not all be found (an abstract type without `__typename`): never stored. */
export const UNTRACEABLE = '?';
/** A viewer's private entries, dropped when that viewer mutates anything. */
export const viewerTag = (viewerId: string) => `viewer:${viewerId}`;

/** Reads entity keys from the supergraph's `@join__type(key: …)` directives. */
export function entityKeysFromSupergraph(supergraphSdl: string): EntityKeys {
  const keys: EntityKeys = new Map();
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const key = directive.arguments?.find((a) => a.name.value === 'key')?.value;
      if (key?.kind !== Kind.STRING || key.value.includes('{')) continue;
      const fields = key.value.trim().split(/[\s,]+/);
      const list = keys.get(definition.name.value) ?? [];
      if (!list.some((k) => k.join() === fields.join())) list.push(fields);
      keys.set(definition.name.value, list);
    }
  }
  return keys;
}

export interface CollectTagsOptions {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  data: unknown;
  keys: EntityKeys;
}

interface Walk {
  schema: GraphQLSchema;
  fragments: Map<string, FragmentDefinitionNode>;
  keys: EntityKeys;
  tags: Set<string>;
}

/**
 * The entities a response contains, found by walking the data beside the operation and the schema,
 * so a client need not select `__typename`. An entity whose key was not selected is tagged `Type:?`.
 */
export function collectEntityTags({ schema, document, operationName, data, keys }: CollectTagsOptions): Set<string> {
  const tags = new Set<string>();
  const operations = document.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  const operation = operationName ? operations.find((o) => o.name?.value === operationName) : operations[0];
  const root = operation && schema.getRootType(operation.operation);
  if (!operation || !root || !data) return tags;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);
  walk({ schema, fragments, keys, tags }, operation.selectionSet.selections, root, data);
  return tags;
}

function walk(w: Walk, selections: readonly SelectionNode[], type: GraphQLCompositeType, value: unknown): void {
  if (value === null || value === undefined || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) walk(w, selections, type, item);
    return;
  }
  const object = value as Record<string, unknown>;
  const named = typeof object.__typename === 'string' ? w.schema.getType(object.__typename) : undefined;
  const concrete = named && isObjectType(named) ? named : type;
  if (isAbstractType(concrete)) {
    w.tags.add(UNTRACEABLE);
    return;
  }
  const scalars = new Map<string, unknown>();
  for (const [responseKey, { fieldName, subSelections }] of collectFields(w, selections, concrete)) {
    if (fieldName === '__typename' || !(responseKey in object)) continue;
    const definition = concrete.getFields()[fieldName];
    if (!definition) continue;
    const fieldType = getNamedType(definition.type);
    if (isCompositeType(fieldType)) walk(w, subSelections, fieldType, object[responseKey]);
    else scalars.set(fieldName, object[responseKey]);
  }
  const keySets = w.keys.get(concrete.name);
  if (!keySets) return;
  w.tags.add(typeTag(concrete.name));
  const found = keySets.find((fields) => fields.every((f) => scalars.get(f) !== undefined && scalars.get(f) !== null));
  w.tags.add(found ? entityTag(concrete.name, found.map((f) => String(scalars.get(f))).join(',')) : unknownEntityTag(concrete.name));
}

/**
 * Fields selected on `type` by response key, through inline fragments and fragment spreads; a named
 * fragment spread again in the same selection adds nothing (as in graphql-js), so fragments that
 * spread each other twice are walked once each, not 2^n times.
 */
function collectFields(
  w: Walk,
  selections: readonly SelectionNode[],
  type: GraphQLCompositeType,
  into = new Map<string, { fieldName: string; subSelections: SelectionNode[] }>(),
  spread = new Set<string>(),
) {
  for (const selection of selections) {
    if (selection.kind === Kind.FIELD) {
      const responseKey = selection.alias?.value ?? selection.name.value;
      const entry = into.get(responseKey) ?? { fieldName: selection.name.value, subSelections: [] };
      entry.subSelections.push(...(selection.selectionSet?.selections ?? []));
      into.set(responseKey, entry);
      continue;
    }
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (spread.has(selection.name.value)) continue;
      spread.add(selection.name.value);
    }
    const fragment = selection.kind === Kind.FRAGMENT_SPREAD ? w.fragments.get(selection.name.value) : selection;
    if (!fragment) continue;
    const condition = fragment.typeCondition ? w.schema.getType(fragment.typeCondition.name.value) : type;
    if (!condition || !applies(w.schema, condition.name, type)) continue;
    collectFields(w, fragment.selectionSet.selections, type, into, spread);
  }
  return into;
}

function applies(schema: GraphQLSchema, conditionName: string, type: GraphQLCompositeType) {
  if (conditionName === type.name) return true;
  const condition = schema.getType(conditionName);
  if (!condition || !isAbstractType(condition)) return false;
  return isObjectType(type) ? schema.isSubType(condition, type) : true;
}
