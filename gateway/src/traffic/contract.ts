import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, GraphQLError, type GraphQLSchema, Kind, type OperationDefinitionNode, validate, visit } from 'graphql';

/** The partner contract (schema/public.graphql), or null when the file is absent. */
export function loadContract(path: string): GraphQLSchema | null {
  return existsSync(path) ? buildSchema(readFileSync(path, 'utf8')) : null;
}

/** Whether a document asks for `__schema` or `__type` anywhere (as Apollo's NoIntrospection rule checks). */
export function usesIntrospection(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    Field(node) {
      if (node.name.value === '__schema' || node.name.value === '__type') found = true;
    },
  });
  return found;
}

/** Whether every root field of the operation is introspection, so the contract alone can answer it. */
export function isIntrospectionOnly(operation: OperationDefinitionNode): boolean {
  return operation.selectionSet.selections.every((s) => s.kind === Kind.FIELD && s.name.value.startsWith('__'));
}

/**
 * The errors of a document against the contract. graphql-js 16 does not validate an operation
 * whose root type the schema lacks (the contract has no subscriptions): that is an error here,
 * worded as graphql-js 17's KnownOperationTypesRule words it.
 */
export function validateAgainstContract(contract: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
  const errors = [...validate(contract, document)];
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && !contract.getRootType(definition.operation)) {
      errors.push(new GraphQLError(`The ${definition.operation} operation is not supported by the schema.`, { nodes: definition }));
    }
  }
  return errors;
}

/**
 * Validates documents against the contract, remembering the errors (none: valid) per query hash:
 * partners send the same few operations over and over.
 */
export function createContractValidator(contract: GraphQLSchema, capacity = 2000) {
  const outcomes = new Map<string, readonly GraphQLError[]>();
  return (queryHash: string, document: DocumentNode): readonly GraphQLError[] => {
    const known = queryHash ? outcomes.get(queryHash) : undefined;
    if (known !== undefined) return known;
    const errors = validateAgainstContract(contract, document);
    if (!queryHash) return errors;
    if (outcomes.size >= capacity) outcomes.clear();
    outcomes.set(queryHash, errors);
    return errors;
  };
}
