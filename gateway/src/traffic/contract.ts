import { existsSync, readFileSync } from 'node:fs';
import { buildSchema, type DocumentNode, type GraphQLSchema, Kind, type OperationDefinitionNode, validate, visit } from 'graphql';

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
 * Validates documents against the contract, remembering the outcome per query hash: partners
 * send the same few operations over and over.
 */
export function createContractValidator(contract: GraphQLSchema, capacity = 2000) {
  const outcomes = new Map<string, string | null>();
  return (queryHash: string, document: DocumentNode): string | null => {
    const known = outcomes.get(queryHash);
    if (known !== undefined) return known;
    const errors = validate(contract, document);
    const outcome = errors.length ? errors.map((e) => e.message).join('; ') : null;
    if (outcomes.size >= capacity) outcomes.clear();
    outcomes.set(queryHash, outcome);
    return outcome;
  };
}
