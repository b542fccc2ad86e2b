import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  isCompositeType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { CostDirectives } from './costDirectives.ts';

export interface QueryCostOptions {
  /** Which operation of the document. */
  operationName?: string | null;
  /** The request's variables as sent; coerced here (defaults applied) as execution coerces them. */
  variables?: Record<string, unknown>;
  /** The variables already coerced (graphql-js `getVariableValues`): used instead of coercing `variables` again. */
  variableValues?: Record<string, unknown>;
  /** List size assumed when `@listSize` says nothing. @default 10 */
  defaultListSize?: number;
}

/** Apollo Router's base cost of an operation type. */
const OPERATION_BASE = { query: 0, mutation: 10, subscription: 0 } as const;

interface Walk {
  schema: GraphQLSchema;
  directives: CostDirectives;
  fragments: Map<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
  defaultListSize: number;
  /** Field plans of the actual-cost walk, by selection set and type. */
  plans: Map<SelectionSetNode, Map<GraphQLCompositeType, FieldPlan[]>>;
}

/** The most an estimate says: an operation costing more is refused all the same, and metrics need a finite number. */
const MAX_COST = Number.MAX_SAFE_INTEGER;
const bounded = (cost: number) => (Number.isNaN(cost) ? MAX_COST : Math.min(cost, MAX_COST));

/**
 * The variables of an operation as execution sees them: coerced, defaults applied. `errors` when
 * they are invalid (the request then fails with graphql-js's BAD_USER_INPUT before any subgraph call).
 */
export function coerceVariables(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown> | null | undefined) {
  return getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
}

interface CollectedField {
  parent: GraphQLCompositeType;
  definition: GraphQLField<unknown, unknown>;
  responseKey: string;
  nodes: FieldNode[];
}

function prepare(schema: GraphQLSchema, directives: CostDirectives, document: DocumentNode, options: QueryCostOptions) {
  const operation = getOperationAST(document, options.operationName ?? undefined);
  if (!operation) return null;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  let variables = options.variableValues;
  if (!variables) {
    const coerced = coerceVariables(schema, operation, options.variables);
    // invalid variables fail the request before execution; the estimate then reads what was sent, leniently
    variables = 'coerced' in coerced && coerced.coerced ? coerced.coerced : (options.variables ?? {});
  }
  const walk: Walk = { schema, directives, fragments, variables, defaultListSize: options.defaultListSize ?? 10, plans: new Map() };
  const root = schema.getRootType(operation.operation);
  return root ? { walk, operation, root } : null;
}

/** `@skip(if: true)` and `@include(if: false)` fields cost nothing: they are never resolved. */
function isIncluded(walk: Walk, node: Parameters<typeof getDirectiveValues>[1]) {
  if (!node.directives?.length) return true;
  try {
    if (getDirectiveValues(GraphQLSkipDirective, node, walk.variables)?.if === true) return false;
    return getDirectiveValues(GraphQLIncludeDirective, node, walk.variables)?.if !== false;
  } catch {
    // only for invalid variables, which fail the request anyway: counted as included
    return true;
  }
}

/**
 * The fields a selection set asks of `type`, fragments flattened, same response keys merged as
 * execution merges them; a named fragment spread again in the same selection adds nothing (as in
 * graphql-js's collectFields), so fragments spreading each other twice are not walked 2^n times.
 */
function collectFields(
  walk: Walk,
  type: GraphQLCompositeType,
  selectionSet: SelectionSetNode,
  into = new Map<string, CollectedField>(),
  spread = new Set<string>(),
) {
  for (const selection of selectionSet.selections) {
    if (!isIncluded(walk, selection)) continue;
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      if (spread.has(selection.name.value)) continue;
      spread.add(selection.name.value);
    }
    if (selection.kind === Kind.FIELD) {
      const name = selection.name.value;
      if (name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      const definition = type.getFields()[name];
      if (!definition) continue;
      const responseKey = selection.alias?.value ?? name;
      const key = `${type.name}:${responseKey}`;
      const found = into.get(key);
      if (found) found.nodes.push(selection);
      else into.set(key, { parent: type, definition, responseKey, nodes: [selection] });
      continue;
    }
    const fragment = selection.kind === Kind.INLINE_FRAGMENT ? selection : walk.fragments.get(selection.name.value);
    if (!fragment) continue;
    const condition = fragment.typeCondition ? walk.schema.getType(fragment.typeCondition.name.value) : type;
    if (condition && isCompositeType(condition)) collectFields(walk, condition, fragment.selectionSet, into, spread);
  }
  return into;
}

const mergedSelections = (nodes: FieldNode[]): SelectionSetNode | undefined => {
  const selections = nodes.flatMap((node) => node.selectionSet?.selections ?? []);
  return selections.length ? { kind: Kind.SELECTION_SET, selections } : undefined;
};

const typeWeight = (walk: Walk, type: GraphQLNamedType) => walk.directives.weights.get(type.name) ?? (isCompositeType(type) ? 1 : 0);

/** A field's own weight: `@cost` on the field, else on its type, else 1 for objects, 0 for leaves. */
const fieldWeight = (walk: Walk, field: CollectedField) =>
  walk.directives.weights.get(`${field.parent.name}.${field.definition.name}`) ?? typeWeight(walk, getNamedType(field.definition.type));

function argumentValues(walk: Walk, field: CollectedField): Record<string, unknown> {
  try {
    return getArgumentValues(field.definition, field.nodes[0] as FieldNode, walk.variables);
  } catch {
    return {};
  }
}

/** An input value costs its `@cost`, else 1 per input object plus its fields; scalars and enums 0. */
function inputCost(walk: Walk, type: GraphQLInputType, value: unknown): number {
  if (value === null || value === undefined) return 0;
  const nullable = isNonNullType(type) ? type.ofType : type;
  if (isListType(nullable)) return (Array.isArray(value) ? value : [value]).reduce<number>((sum, item) => sum + inputCost(walk, nullable.ofType, item), 0);
  if (isInputObjectType(nullable)) {
    let sum = walk.directives.weights.get(nullable.name) ?? 1;
    for (const [name, field] of Object.entries(nullable.getFields())) {
      const item = (value as Record<string, unknown>)[name];
      if (item !== undefined) sum += walk.directives.weights.get(`${nullable.name}.${name}`) ?? inputCost(walk, field.type, item);
    }
    return sum;
  }
  return walk.directives.weights.get(nullable.name) ?? 0;
}

function argumentsCost(walk: Walk, field: CollectedField, values: Record<string, unknown>) {
  let sum = 0;
  for (const arg of field.definition.args) {
    if (values[arg.name] === undefined) continue;
    sum += walk.directives.weights.get(`${field.parent.name}.${field.definition.name}(${arg.name}:)`) ?? inputCost(walk, arg.type, values[arg.name]);
  }
  return sum;
}

/** The size `@listSize` promises: the largest slicing argument given, else `assumedSize`, else the default. */
function listSizeOf(walk: Walk, field: CollectedField, values: Record<string, unknown>) {
  const listSize = walk.directives.listSizes.get(`${field.parent.name}.${field.definition.name}`);
  const sliced = (listSize?.slicingArguments ?? []).map((name) => values[name]).filter((v): v is number => Number.isFinite(v));
  if (sliced.length) return Math.max(...sliced);
  return listSize?.assumedSize ?? walk.defaultListSize;
}

interface Sized {
  fields: string[];
  size: number;
}

function estimateSelections(walk: Walk, type: GraphQLCompositeType, selectionSet: SelectionSetNode, sized?: Sized): number {
  let total = 0;
  for (const field of collectFields(walk, type, selectionSet).values()) {
    const values = argumentValues(walk, field);
    const named = getNamedType(field.definition.type);
    const own = listSizeOf(walk, field, values);
    const listSize = walk.directives.listSizes.get(`${field.parent.name}.${field.definition.name}`);
    const childSized = listSize?.sizedFields ? { fields: listSize.sizedFields, size: own } : undefined;
    const selections = mergedSelections(field.nodes);
    const children = selections && isCompositeType(named) ? estimateSelections(walk, named, selections, childSized) : 0;
    // only the outer list of [[T]] multiplies, as in Apollo Router
    const isList = isListType(getNullableType(field.definition.type));
    const count = isList ? (sized?.fields.includes(field.definition.name) ? sized.size : own) : 1;
    total += argumentsCost(walk, field, values) + count * (fieldWeight(walk, field) + children);
  }
  return total;
}

/** The static cost estimate of an operation, compatible with Apollo Router's demand control. */
export function estimateQueryCost(schema: GraphQLSchema, directives: CostDirectives, document: DocumentNode, options: QueryCostOptions = {}): number {
  const prepared = prepare(schema, directives, document, options);
  if (!prepared) return 0;
  const { walk, operation, root } = prepared;
  return bounded(OPERATION_BASE[operation.operation] + estimateSelections(walk, root, operation.selectionSet));
}

/** What the actual cost needs of one field of a selection set on one type: computed once per walk, used for every object. */
interface FieldPlan {
  responseKey: string;
  /** The field's argument costs. */
  argumentsCost: number;
  weight: number;
  named: GraphQLNamedType;
  /** The child selections, when the field is an object with selections. */
  selections?: SelectionSetNode;
}

/** A selection set's plan on `type`; the child selection sets it holds are the keys of their own plans. */
function planOf(walk: Walk, type: GraphQLCompositeType, selectionSet: SelectionSetNode): FieldPlan[] {
  let byType = walk.plans.get(selectionSet);
  if (!byType) {
    byType = new Map();
    walk.plans.set(selectionSet, byType);
  }
  let plan = byType.get(type);
  if (plan) return plan;
  plan = [];
  const seen = new Set<string>();
  for (const field of collectFields(walk, type, selectionSet).values()) {
    if (seen.has(field.responseKey)) continue;
    seen.add(field.responseKey);
    const named = getNamedType(field.definition.type);
    const selections = isCompositeType(named) ? mergedSelections(field.nodes) : undefined;
    plan.push({
      responseKey: field.responseKey,
      argumentsCost: argumentsCost(walk, field, argumentValues(walk, field)),
      weight: fieldWeight(walk, field),
      named,
      selections,
    });
  }
  byType.set(type, plan);
  return plan;
}

function actualValue(walk: Walk, field: FieldPlan, value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (Array.isArray(value)) {
    let sum = 0;
    for (const item of value) sum += actualValue(walk, field, item);
    return sum;
  }
  if (!field.selections || typeof value !== 'object') return field.weight;
  const typename = (value as { __typename?: unknown }).__typename;
  const runtime = typeof typename === 'string' ? walk.schema.getType(typename) : null;
  const type = runtime && isObjectType(runtime) ? runtime : (field.named as GraphQLCompositeType);
  return field.weight + actualSelections(walk, type, field.selections, value as Record<string, unknown>);
}

function actualSelections(walk: Walk, type: GraphQLCompositeType, selectionSet: SelectionSetNode, data: Record<string, unknown>): number {
  let total = 0;
  for (const field of planOf(walk, type, selectionSet)) {
    if (!(field.responseKey in data)) continue;
    total += field.argumentsCost + actualValue(walk, field, data[field.responseKey]);
  }
  return total;
}

/** The cost of what was actually returned: the same weights, with real list lengths instead of assumed ones. */
export function actualQueryCost(
  schema: GraphQLSchema,
  directives: CostDirectives,
  document: DocumentNode,
  data: Record<string, unknown> | null | undefined,
  options: QueryCostOptions = {},
): number {
  const prepared = prepare(schema, directives, document, options);
  if (!prepared) return 0;
  const { walk, operation, root } = prepared;
  return bounded(OPERATION_BASE[operation.operation] + (data ? actualSelections(walk, root, operation.selectionSet, data) : 0));
}
