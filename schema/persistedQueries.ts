// The persisted-query manifest (Apollo's apollo-persisted-query-manifest format) from the
// first-party operations in web/operations/*.graphql, each validated against the supergraph's
// API schema. The bodies are what Apollo Client sends: the typed documents codegen wrote to
// web/ui/src/generated/operations.ts (the operation with the fragments it uses), with the
// `__typename` fields the client's cache adds, printed by the client's printer. The id is the
// sha256 of that body, so the gateway's answer to an id carries `__typename` and normalizes.
// It also writes web/ui/src/generated/persisted-query-ids.json (operation name → id), which the
// apps' persisted-query link sends instead of hashing at run time.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { addTypenameToDocument, print } from '@apollo/client/utilities';
// federation-internals' own printer: its graphql-js objects may come from another copy of graphql (CJS vs ESM)
import { printSchema as printFederationSchema, Supergraph } from '@apollo/federation-internals';
import { buildSchema, type DocumentNode, Kind, type OperationDefinitionNode, validate } from 'graphql';

const root = new URL('..', import.meta.url);
export const manifestPath = new URL('schema/persisted-query-manifest.json', root);
export const idsPath = new URL('web/ui/src/generated/persisted-query-ids.json', root);
const documentsPath = new URL('web/ui/src/generated/operations.ts', root);

export interface ManifestOperation {
  id: string;
  name: string;
  type: OperationDefinitionNode['operation'];
  body: string;
}

/** The body Apollo Client sends for a document, and its sha256. */
export function clientBody(document: DocumentNode) {
  const body = print(addTypenameToDocument(document));
  return { body, id: createHash('sha256').update(body).digest('hex') };
}

/** Every operation document codegen generated, in the order of web/operations. */
export async function loadOperationDocuments(): Promise<DocumentNode[]> {
  const module = (await import(documentsPath.href)) as Record<string, unknown>;
  return Object.entries(module)
    .filter(([name]) => name.endsWith('Document'))
    .map(([, document]) => document as DocumentNode)
    .filter((document) => document.definitions[0]?.kind === Kind.OPERATION_DEFINITION);
}

export async function buildManifest(supergraphSdl: string) {
  const schema = buildSchema(printFederationSchema(Supergraph.build(supergraphSdl).apiSchema()));
  const names = new Set<string>();
  const operations: ManifestOperation[] = [];
  for (const document of await loadOperationDocuments()) {
    const operation = document.definitions[0] as OperationDefinitionNode;
    const name = operation.name?.value;
    if (!name) throw new Error('web/operations: every operation needs a name');
    if (names.has(name)) throw new Error(`web/operations: operation ${name} is defined twice`);
    names.add(name);
    const errors = validate(schema, document);
    if (errors.length) throw new Error(`web/operations: ${name} is invalid: ${errors.map((e) => e.message).join('; ')}`);
    operations.push({ name, type: operation.operation, ...clientBody(document) });
  }
  const manifest = `${JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: operations.map(({ id, name, type, body }) => ({ id, name, type, body })) }, null, 2)}\n`;
  const ids = `${JSON.stringify(Object.fromEntries(operations.map((o) => [o.name, o.id])), null, 2)}\n`;
  return { manifest, ids };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { manifest, ids } = await buildManifest(readFileSync(new URL('schema/supergraph.graphql', root), 'utf8'));
  writeFileSync(manifestPath, manifest);
  writeFileSync(idsPath, ids);
  console.log(`wrote ${manifestPath.pathname} and ${idsPath.pathname}`);
}
