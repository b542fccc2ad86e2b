import { type ConstDirectiveNode, type DocumentNode, Kind, parse, valueFromASTUntyped } from 'graphql';

/** `@listSize` as the cost spec defines it. */
export interface ListSize {
  assumedSize?: number;
  slicingArguments?: string[];
  sizedFields?: string[];
  requireOneSlicingArgument: boolean;
}

/** The `@cost` and `@listSize` applications of a schema, keyed by `Type`, `Type.field` and `Type.field(arg:)`. */
export interface CostDirectives {
  weights: Map<string, number>;
  listSizes: Map<string, ListSize>;
}

const COST_SPEC = 'https://specs.apollo.dev/cost/';

/**
 * The names the cost directives go by in a supergraph: the cost spec's `@link` may import them
 * under another name (`as`) or leave them namespaced (`@cost__listSize`). A schema with no such
 * link (a plain SDL, as in Apollo's documentation) uses `@cost` and `@listSize`.
 */
function directiveNames(document: DocumentNode) {
  const names = { cost: 'cost', listSize: 'listSize' };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.SCHEMA_DEFINITION && definition.kind !== Kind.SCHEMA_EXTENSION) continue;
    for (const link of definition.directives ?? []) {
      if (link.name.value !== 'link') continue;
      const args = argumentsOf(link);
      if (typeof args.url !== 'string' || !args.url.startsWith(COST_SPEC)) continue;
      const namespace = typeof args.as === 'string' ? args.as : 'cost';
      names.cost = namespace;
      names.listSize = `${namespace}__listSize`;
      for (const entry of Array.isArray(args.import) ? args.import : []) {
        const name = typeof entry === 'string' ? entry : (entry as { name?: string }).name;
        const alias = typeof entry === 'string' ? entry : ((entry as { as?: string }).as ?? name);
        if (name === '@listSize' && alias) names.listSize = alias.replace(/^@/, '');
        if (name === '@cost' && alias) names.cost = alias.replace(/^@/, '');
      }
    }
  }
  return names;
}

const argumentsOf = (directive: ConstDirectiveNode): Record<string, unknown> =>
  Object.fromEntries((directive.arguments ?? []).map((arg) => [arg.name.value, valueFromASTUntyped(arg.value)]));

/**
 * Reads the cost directives from SDL. The gateway gives it the supergraph: the API schema no
 * longer carries them, which is why they cannot be read from the schema Apollo Server executes.
 */
export function readCostDirectives(sdl: string | DocumentNode): CostDirectives {
  const document = typeof sdl === 'string' ? parse(sdl) : sdl;
  const names = directiveNames(document);
  const weights = new Map<string, number>();
  const listSizes = new Map<string, ListSize>();
  const visit = (key: string, directives: readonly ConstDirectiveNode[] | undefined) => {
    for (const directive of directives ?? []) {
      const args = argumentsOf(directive);
      if (directive.name.value === names.cost && typeof args.weight === 'number') weights.set(key, args.weight);
      if (directive.name.value === names.listSize) {
        listSizes.set(key, {
          assumedSize: typeof args.assumedSize === 'number' ? args.assumedSize : undefined,
          slicingArguments: Array.isArray(args.slicingArguments) ? (args.slicingArguments as string[]) : undefined,
          sizedFields: Array.isArray(args.sizedFields) ? (args.sizedFields as string[]) : undefined,
          requireOneSlicingArgument: args.requireOneSlicingArgument !== false,
        });
      }
    }
  };
  for (const definition of document.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    if (!('fields' in definition || 'values' in definition || definition.kind === Kind.SCALAR_TYPE_DEFINITION)) continue;
    const type = definition.name.value;
    visit(type, definition.directives);
    if ('fields' in definition) {
      for (const field of definition.fields ?? []) {
        visit(`${type}.${field.name.value}`, field.directives);
        if ('arguments' in field) for (const arg of field.arguments ?? []) visit(`${type}.${field.name.value}(${arg.name.value}:)`, arg.directives);
      }
    }
    if ('values' in definition) for (const value of definition.values ?? []) visit(`${type}.${value.name.value}`, value.directives);
  }
  return { weights, listSizes };
}
