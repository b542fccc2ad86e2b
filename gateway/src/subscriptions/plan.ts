import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  getVariableValues,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionNode,
  type SelectionSetNode,
  specifiedRules,
  validate,
  visit,
} from 'graphql';

/** The subscription fields the gateway serves, and the root query field that resolves each payload through federation. */
export const SUBSCRIPTION_FIELDS = {
  orderStatusChanged: { entity: 'order', wraps: 'order' },
  orderEvents: { entity: 'order', wraps: 'order' },
  quoteReady: { entity: 'quote', wraps: null },
} as const;
export type SubscriptionField = keyof typeof SUBSCRIPTION_FIELDS;

/** A validated subscription operation and the query that resolves its payload for one event. */
export interface SubscriptionPlan {
  field: SubscriptionField;
  /** Response key of the root field (its alias, or its name). */
  responseKey: string;
  /** The root field's arguments with variables applied. */
  args: Record<string, unknown>;
  document: DocumentNode;
  operationName: string | undefined;
  variables: Record<string, unknown>;
  /**
   * `query($_fablineSubject: ID!, …) { <key>: order(id: $_fablineSubject) { <client's selection> } }`, or null when the
   * client selected nothing that needs a subgraph (only the event's own fields).
   */
  federatedQuery: string | null;
  /** Identical operations with identical variables share one resolution per event. */
  key: string;
}

export const SUBJECT_VARIABLE = '_fablineSubject';

const bad = (message: string) => new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT' } });

/**
 * Parses nothing (the document is given), validates against the API schema and plans the
 * federated query. Returns errors a client can act on instead of throwing.
 */
export function planSubscription(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | null | undefined,
  operationName: string | null | undefined,
): SubscriptionPlan | readonly GraphQLError[] {
  const errors = validate(schema, document, specifiedRules);
  if (errors.length > 0) return errors;
  const operation = getOperationAST(document, operationName ?? undefined);
  if (!operation) return [bad('Name the operation to run: the document has several and `operationName` matches none')];
  if (operation.operation !== 'subscription') return [bad(`Only subscriptions are served here; got a ${operation.operation}`)];
  const root = operation.selectionSet.selections[0];
  if (root?.kind !== Kind.FIELD || operation.selectionSet.selections.length !== 1)
    return [bad('A subscription selects exactly one field, directly (no fragment at the root)')];
  const field = root.name.value as SubscriptionField;
  if (!(field in SUBSCRIPTION_FIELDS)) return [bad(`Unknown subscription field ${root.name.value}`)];
  // defaults filled in and types checked as graphql-js would before executing (an absent variable
  // with a default is the default, not undefined)
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {}, { maxErrors: 1 });
  if (coerced.errors) return coerced.errors.map((error) => bad(error.message));
  const vars = coerced.coerced;
  const args: Record<string, unknown> = {};
  for (const arg of root.arguments ?? []) {
    const value = arg.value;
    if (value.kind === Kind.VARIABLE) args[arg.name.value] = vars[value.name.value];
    else if (value.kind === Kind.STRING || value.kind === Kind.ENUM) args[arg.name.value] = value.value;
    else if (value.kind === Kind.INT) args[arg.name.value] = value.value;
    else if (value.kind === Kind.NULL) args[arg.name.value] = null;
    else return [bad(`Argument ${arg.name.value} must be a string, an enum value or a variable`)];
  }
  const fragments = new Map(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  const responseKey = root.alias?.value ?? root.name.value;
  const entity = SUBSCRIPTION_FIELDS[field];
  const subjects: FieldNode[] = entity.wraps
    ? collectFields(root.selectionSet, fragments, entity.wraps).map((f) => ({ ...f, name: { kind: Kind.NAME, value: entity.entity } }))
    : [{ ...root, alias: { kind: Kind.NAME, value: responseKey }, name: { kind: Kind.NAME, value: entity.entity } }];
  const federatedQuery = subjects.length > 0 ? buildQuery(operation, subjects, fragments) : null;
  const key = `${print(operation)}\u0000${JSON.stringify(vars)}`;
  return { field, responseKey, args, document, operationName: operationName ?? undefined, variables: vars, federatedQuery, key };
}

/** Every field named `name` directly in the selection set, looking through fragments. */
function collectFields(selectionSet: SelectionSetNode | undefined, fragments: Map<string, FragmentDefinitionNode>, name: string, seen = new Set<string>()) {
  const found: FieldNode[] = [];
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === Kind.FIELD) {
      if (selection.name.value === name) found.push(selection);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      found.push(...collectFields(selection.selectionSet, fragments, name, seen));
    } else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      found.push(...collectFields(fragments.get(selection.name.value)?.selectionSet, fragments, name, seen));
    }
  }
  return found;
}

/** The subjects as root fields of a query carrying only the variables and fragments they use. */
function buildQuery(operation: OperationDefinitionNode, subjects: FieldNode[], fragments: Map<string, FragmentDefinitionNode>) {
  const subjectArg = {
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: 'id' },
    value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: SUBJECT_VARIABLE } },
  } as const;
  const selections: SelectionNode[] = subjects.map((f) => ({ ...f, arguments: [subjectArg], directives: [] }));
  const usedFragments = new Set<string>();
  const usedVariables = new Set<string>();
  const scan = (node: SelectionNode | FragmentDefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        if (usedFragments.has(spread.name.value)) return;
        usedFragments.add(spread.name.value);
        const fragment = fragments.get(spread.name.value);
        if (fragment) scan(fragment);
      },
      Variable(variable) {
        usedVariables.add(variable.name.value);
      },
    });
  for (const selection of selections) scan(selection);
  usedVariables.delete(SUBJECT_VARIABLE);
  const query: DocumentNode = {
    kind: Kind.DOCUMENT,
    definitions: [
      {
        kind: Kind.OPERATION_DEFINITION,
        operation: 'query' as OperationDefinitionNode['operation'],
        name: { kind: Kind.NAME, value: 'SubscriptionEvent' },
        variableDefinitions: [
          {
            kind: Kind.VARIABLE_DEFINITION,
            variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: SUBJECT_VARIABLE } },
            type: { kind: Kind.NON_NULL_TYPE, type: { kind: Kind.NAMED_TYPE, name: { kind: Kind.NAME, value: 'ID' } } },
          },
          ...(operation.variableDefinitions ?? []).filter((v) => usedVariables.has(v.variable.name.value)),
        ],
        selectionSet: { kind: Kind.SELECTION_SET, selections },
      },
      ...[...usedFragments].flatMap((name) => fragments.get(name) ?? []),
    ],
  };
  return print(query);
}
