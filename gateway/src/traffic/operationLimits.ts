import type { ErrorCode } from '@fabline/shared/errors';
import { type DocumentNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

export interface OperationLimits {
  maxDepth: number;
  maxAliases: number;
  maxRootFields: number;
  maxDirectivesPerField: number;
  /** Field selections once fragments are inlined: what the query planner and execution walk. @default MAX_FIELDS */
  maxFields?: number;
  /** Depth of what `__schema` and `__type` select, counted apart from `maxDepth`. @default MAX_INTROSPECTION_DEPTH */
  maxIntrospectionDepth?: number;
}

export interface OperationShape {
  depth: number;
  aliases: number;
  rootFields: number;
  directivesPerField: number;
  /** Field selections with fragments inlined (a fragment spread twice counts twice). */
  fields?: number;
  /** Depth of introspection fields (`__schema`, `__type` and below); `depth` leaves them out. */
  introspectionDepth?: number;
}

/**
 * The default bound on field selections with fragments inlined. A large real screen selects a few
 * hundred; a document of 5,000 tokens whose fragments spread each other twice selects billions.
 */
export const MAX_FIELDS = 20_000;

/**
 * The default bound on introspection depth: graphql-js's `getIntrospectionQuery()` reaches 13
 * (its TypeRef fragment nests `ofType` nine times); hand-made `ofType { ofType { … } }` chains are refused.
 */
export const MAX_INTROSPECTION_DEPTH = 20;

/** What one selection set contributes, relative to where it is used: composed instead of walked again. */
interface Summary {
  /** Deepest field below, this level being 1 (introspection fields excluded). */
  depth: number;
  /** Deepest field below counting introspection fields, when there are some; else 0. */
  introspectionDepth: number;
  aliases: number;
  fields: number;
  /** Fields at this level (root fields, when used at the root). */
  top: number;
  directives: number;
}

const EMPTY: Summary = { depth: 0, introspectionDepth: 0, aliases: 0, fields: 0, top: 0, directives: 0 };
const isIntrospectionField = (name: string) => name === '__schema' || name === '__type';

class OverLimit {
  constructor(readonly summary: Summary) {}
}

export interface MeasureOptions {
  /** Stop at the first summary found over one of these (the shape is then a lower bound, still over it). */
  limits?: OperationLimits;
}

/**
 * Measures an operation with its fragments inlined (a fragment used twice counts twice, as it
 * executes twice). Each fragment is measured once and its counts composed wherever it is spread,
 * so the work is proportional to the document, not to its inlined size.
 */
export function measureOperation(document: DocumentNode, operation: OperationDefinitionNode, options: MeasureOptions = {}): OperationShape {
  const { limits } = options;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const measured = new Map<string, Summary>();
  const visiting = new Set<string>();

  const over = (s: Summary) =>
    limits !== undefined &&
    (s.depth > limits.maxDepth ||
      s.introspectionDepth > (limits.maxIntrospectionDepth ?? MAX_INTROSPECTION_DEPTH) ||
      s.aliases > limits.maxAliases ||
      s.fields > (limits.maxFields ?? MAX_FIELDS) ||
      s.directives > limits.maxDirectivesPerField);

  const fragmentSummary = (name: string): Summary => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // validation refuses fragment cycles; this guard only keeps a bad document from looping
    if (!fragment || visiting.has(name)) return EMPTY;
    visiting.add(name);
    const summary = summarize(fragment.selectionSet);
    visiting.delete(name);
    measured.set(name, summary);
    return summary;
  };

  const summarize = (selectionSet: SelectionSetNode): Summary => {
    const sum = { ...EMPTY };
    const add = (part: Summary, depth: number, introspectionDepth: number, top: number) => {
      sum.depth = Math.max(sum.depth, depth);
      sum.introspectionDepth = Math.max(sum.introspectionDepth, introspectionDepth);
      sum.aliases += part.aliases;
      sum.fields += part.fields;
      sum.top += top;
      sum.directives = Math.max(sum.directives, part.directives);
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const child = selection.selectionSet ? summarize(selection.selectionSet) : EMPTY;
        const own = { ...child, aliases: child.aliases + (selection.alias ? 1 : 0), fields: child.fields + 1 };
        own.directives = Math.max(child.directives, selection.directives?.length ?? 0);
        if (isIntrospectionField(selection.name.value)) {
          // the field itself is one level of the operation; what it selects is introspection's depth
          add(own, 1, 1 + Math.max(child.depth, child.introspectionDepth), 1);
        } else {
          add(own, 1 + child.depth, child.introspectionDepth ? 1 + child.introspectionDepth : 0, 1);
        }
      } else {
        const part = selection.kind === Kind.INLINE_FRAGMENT ? summarize(selection.selectionSet) : fragmentSummary(selection.name.value);
        add(part, part.depth, part.introspectionDepth, part.top);
      }
    }
    if (over(sum)) throw new OverLimit(sum);
    return sum;
  };

  let summary: Summary;
  try {
    summary = summarize(operation.selectionSet);
  } catch (error) {
    if (!(error instanceof OverLimit)) throw error;
    summary = error.summary;
  }
  return {
    depth: summary.depth,
    aliases: summary.aliases,
    rootFields: summary.top,
    directivesPerField: summary.directives,
    fields: summary.fields,
    introspectionDepth: summary.introspectionDepth,
  };
}

/** What is over a limit: the Apollo Router code, and a message naming the value and the limit. */
export function checkOperationLimits(shape: OperationShape, limits: OperationLimits): { code: ErrorCode; message: string } | null {
  const checks = [
    ['MAX_DEPTH_LIMIT', 'is nested', shape.depth, limits.maxDepth, 'levels deep'],
    ['MAX_DEPTH_LIMIT', 'nests introspection', shape.introspectionDepth ?? 0, limits.maxIntrospectionDepth ?? MAX_INTROSPECTION_DEPTH, 'levels deep'],
    ['MAX_ALIASES_LIMIT', 'uses', shape.aliases, limits.maxAliases, 'aliases'],
    ['MAX_ROOT_FIELDS_LIMIT', 'selects', shape.rootFields, limits.maxRootFields, 'root fields'],
    ['MAX_DIRECTIVES_LIMIT', 'puts', shape.directivesPerField, limits.maxDirectivesPerField, 'directives on one field'],
    ['MAX_FIELDS_LIMIT', 'selects', shape.fields ?? 0, limits.maxFields ?? MAX_FIELDS, 'fields once its fragments are inlined'],
  ] as const;
  for (const [code, verb, value, limit, what] of checks) {
    if (value > limit) return { code, message: `The operation ${verb} ${value} ${what}; at most ${limit} are allowed` };
  }
  return null;
}
