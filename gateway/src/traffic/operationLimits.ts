import type { ErrorCode } from '@fabline/shared/errors';
import { type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectivesPerField: number;
}

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  directivesPerField: number;
}

/** Measures an operation with its fragments inlined (a fragment used twice counts twice, as it executes twice). */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode): OperationShape {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const shape: OperationShape = { depth: 0, aliases: 0, rootFields: 0, directivesPerField: 0 };

  const walk = (selectionSet: SelectionSetNode, depth: number, visiting: Set<string>, root: boolean) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (root) shape.rootFields++;
        if (selection.alias) shape.aliases++;
        shape.directivesPerField = Math.max(shape.directivesPerField, selection.directives?.length ?? 0);
        shape.depth = Math.max(shape.depth, depth);
        if (selection.selectionSet) walk(selection.selectionSet, depth + 1, visiting, false);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, visiting, root);
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        // validation refuses fragment cycles; this guard only keeps a bad document from looping
        if (!fragment || visiting.has(name)) continue;
        walk(fragment.selectionSet, depth, new Set(visiting).add(name), root);
      }
    }
  };
  walk(operation.selectionSet, 1, new Set(), true);
  return shape;
}

/** What is over a limit: the Apollo Router code, and a message naming the value and the limit. */
export function checkOperationLimits(shape: OperationShape, limits: OperationLimits): { code: ErrorCode; message: string } | null {
  const checks = [
    ['MAX_DEPTH_LIMIT', 'is nested', shape.depth, limits.maxDepth, 'levels deep'],
    ['MAX_ALIASES_LIMIT', 'uses', shape.aliases, limits.maxAliases, 'aliases'],
    ['MAX_ROOT_FIELDS_LIMIT', 'selects', shape.rootFields, limits.maxRootFields, 'root fields'],
    ['MAX_DIRECTIVES_LIMIT', 'puts', shape.directivesPerField, limits.maxDirectivesPerField, 'directives on one field'],
  ] as const;
  for (const [code, verb, value, limit, what] of checks) {
    if (value > limit) return { code, message: `The operation ${verb} ${value} ${what}; at most ${limit} are allowed` };
  }
  return null;
}
