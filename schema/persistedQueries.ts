// The persisted-query manifest (Apollo's apollo-persisted-query-manifest format) from the
// first-party operations in web/operations/*.graphql, each validated against the supergraph's
// API schema. One entry per operation, with the fragments it uses; the id is the sha256 of the body,
// the same hash an automatic-persisted-query client sends.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
// federation-internals' own printer: its graphql-js objects may come from another copy of graphql (CJS vs ESM)
import { printSchema as printFederationSchema, Supergraph } from '@apollo/federation-internals';
import { buildSchema, type DefinitionNode, type FragmentDefinitionNode, Kind, type OperationDefinitionNode, parse, print, validate, visit } from 'graphql';

const root = new URL('..', import.meta.url);
export const manifestPath = new URL('schema/persisted-query-manifest.json', root);
const operationsDir = new URL('web/operations/', root);

function fragmentsUsedBy(node: DefinitionNode, fragments: Map<string, FragmentDefinitionNode>, used = new Set<string>()) {
  visit(node, {
    FragmentSpread(spread) {
      const name = spread.name.value;
      const fragment = fragments.get(name);
      if (used.has(name) || !fragment) return;
      used.add(name);
      fragmentsUsedBy(fragment, fragments, used);
    },
  });
  return used;
}

export function buildManifest(supergraphSdl: string) {
  const schema = buildSchema(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));
  const files = readdirSync(operationsDir)
    .filter((f) => f.endsWith('.graphql'))
    .sort();
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of files) {
    const document = parse(readFileSync(new URL(file, operationsDir), 'utf8'));
    for (const definition of document.definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) {
        if (!definition.name) throw new Error(`web/operations/${file}: every operation needs a name`);
        operations.push(definition);
      } else if (definition.kind === Kind.FRAGMENT_DEFINITION) {
        fragments.set(definition.name.value, definition);
      }
    }
  }
  const names = new Set<string>();
  const entries = operations.map((operation) => {
    const name = operation.name?.value as string;
    if (names.has(name)) throw new Error(`web/operations: operation ${name} is defined twice`);
    names.add(name);
    const used = [...fragmentsUsedBy(operation, fragments)].sort().map((f) => fragments.get(f) as FragmentDefinitionNode);
    const document = { kind: Kind.DOCUMENT, definitions: [operation, ...used] } as const;
    const errors = validate(schema, document);
    if (errors.length) throw new Error(`web/operations: ${name} is invalid: ${errors.map((e) => e.message).join('; ')}`);
    const body = print(document);
    return { id: createHash('sha256').update(body).digest('hex'), name, type: operation.operation, body };
  });
  return `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: entries }, null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(manifestPath, buildManifest(readFileSync(new URL('schema/supergraph.graphql', root), 'utf8')));
  console.log(`wrote ${manifestPath.pathname}`);
}
