// The partner contract: the supergraph's API schema filtered to elements tagged @tag(name: "public"),
// built the way Apollo builds contracts (tag filter on the supergraph, then the API schema, then
// anything left dangling or unreachable removed). `--check` fails when schema/public.graphql is stale.
import { readFileSync, writeFileSync } from 'node:fs';
// federation-internals' own printer: its graphql-js objects may come from another copy of graphql (CJS vs ESM)
import { printSchema as printFederationSchema, Supergraph } from '@apollo/federation-internals';
import {
  buildASTSchema,
  type DefinitionNode,
  type DocumentNode,
  type FieldDefinitionNode,
  type InputValueDefinitionNode,
  Kind,
  parse,
  printSchema,
  type TypeNode,
  visit,
} from 'graphql';

const root = new URL('..', import.meta.url);
export const contractPath = new URL('schema/public.graphql', root);
const BUILT_IN = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const ROOTS = ['Query', 'Mutation', 'Subscription'];

const namedType = (type: TypeNode): string => (type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type));
const isRequired = (input: InputValueDefinitionNode) => input.type.kind === Kind.NON_NULL_TYPE && !input.defaultValue;

/** `Type` and `Type.member` coordinates that carry `@tag(name: <tag>)` in the supergraph. */
function taggedCoordinates(supergraph: DocumentNode, tag: string) {
  const tagged = new Set<string>();
  const hasTag = (node: { directives?: readonly { name: { value: string }; arguments?: readonly { name: { value: string }; value: unknown }[] }[] }) =>
    (node.directives ?? []).some(
      (d) => d.name.value === 'tag' && d.arguments?.some((a) => a.name.value === 'name' && (a.value as { kind: string; value?: string }).value === tag),
    );
  for (const definition of supergraph.definitions) {
    if (!('name' in definition) || !definition.name || definition.kind === Kind.DIRECTIVE_DEFINITION) continue;
    const type = definition.name.value;
    if (hasTag(definition)) tagged.add(type);
    for (const member of [...('fields' in definition ? (definition.fields ?? []) : []), ...('values' in definition ? (definition.values ?? []) : [])]) {
      if (hasTag(member)) tagged.add(`${type}.${member.name.value}`);
    }
  }
  return tagged;
}

/** Filters an API schema's definitions to the tagged ones, repeating until nothing dangles. */
function filterDefinitions(definitions: readonly DefinitionNode[], tagged: Set<string>): DefinitionNode[] {
  const typeName = (d: DefinitionNode) => ('name' in d && d.name ? d.name.value : '');
  let current = definitions.filter((d) => {
    const name = typeName(d);
    if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
      return tagged.has(name) || (d.fields ?? []).some((f) => tagged.has(`${name}.${f.name.value}`));
    }
    return tagged.has(name);
  });
  // fields: tagged themselves or on a tagged type
  current = current.map((d) => {
    const name = typeName(d);
    if (!('fields' in d) || tagged.has(name)) return d;
    return { ...d, fields: (d.fields as FieldDefinitionNode[]).filter((f) => tagged.has(`${name}.${f.name.value}`)) } as DefinitionNode;
  });
  for (let changed = true; changed; ) {
    changed = false;
    const kept = new Set([...BUILT_IN, ...current.map(typeName)]);
    const next: DefinitionNode[] = [];
    for (const d of current) {
      if (d.kind === Kind.OBJECT_TYPE_DEFINITION || d.kind === Kind.INTERFACE_TYPE_DEFINITION) {
        const fields = (d.fields ?? [])
          .filter((f) => kept.has(namedType(f.type)) && (f.arguments ?? []).every((a) => kept.has(namedType(a.type)) || !isRequired(a)))
          .map((f) => ({ ...f, arguments: (f.arguments ?? []).filter((a) => kept.has(namedType(a.type))) }));
        const interfaces = (d.interfaces ?? []).filter((i) => kept.has(i.name.value));
        if (fields.length === 0) {
          changed = true;
          continue;
        }
        if (fields.length !== d.fields?.length || interfaces.length !== (d.interfaces?.length ?? 0)) changed = true;
        next.push({ ...d, fields, interfaces });
      } else if (d.kind === Kind.INPUT_OBJECT_TYPE_DEFINITION) {
        const fields = d.fields ?? [];
        if (fields.some((f) => !kept.has(namedType(f.type)) && isRequired(f))) {
          changed = true;
          continue;
        }
        const keptFields = fields.filter((f) => kept.has(namedType(f.type)));
        if (keptFields.length !== fields.length) changed = true;
        next.push({ ...d, fields: keptFields });
      } else if (d.kind === Kind.UNION_TYPE_DEFINITION) {
        const types = (d.types ?? []).filter((t) => kept.has(t.name.value));
        if (types.length !== (d.types?.length ?? 0)) changed = true;
        if (types.length) next.push({ ...d, types });
      } else {
        next.push(d);
      }
    }
    current = next;
  }
  return current;
}

/** Keeps only the types reachable from the root types. */
function reachable(definitions: DefinitionNode[]): DefinitionNode[] {
  const byName = new Map(definitions.map((d) => ['name' in d && d.name ? d.name.value : '', d]));
  const seen = new Set<string>();
  const queue = ROOTS.filter((r) => byName.has(r));
  while (queue.length) {
    const name = queue.pop() as string;
    if (seen.has(name)) continue;
    seen.add(name);
    const definition = byName.get(name);
    if (!definition) continue;
    visit(definition, {
      NamedType(node) {
        if (!seen.has(node.name.value)) queue.push(node.name.value);
      },
    });
  }
  return definitions.filter((d) => seen.has('name' in d && d.name ? d.name.value : ''));
}

/** The contract schema's SDL for the given tag. */
export function buildContract(supergraphSdl: string, tag = 'public'): string {
  const tagged = taggedCoordinates(parse(supergraphSdl), tag);
  const api = parse(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));
  const definitions = reachable(filterDefinitions(api.definitions, tagged));
  return `${printSchema(buildASTSchema({ kind: Kind.DOCUMENT, definitions }))}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const sdl = buildContract(readFileSync(new URL('schema/supergraph.graphql', root), 'utf8'));
  if (process.argv.includes('--check')) {
    if (readFileSync(contractPath, 'utf8') !== sdl) {
      console.error('schema/public.graphql is stale: run `npm run generate` and commit it');
      process.exit(1);
    }
  } else {
    writeFileSync(contractPath, sdl);
    console.log(`wrote ${contractPath.pathname}`);
  }
}
