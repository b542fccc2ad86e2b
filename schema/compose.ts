// Composes the subgraphs' SDL into schema/supergraph.graphql with @apollo/composition.
// `--check` fails when the committed supergraph is stale or composition fails.
import { readFileSync, writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';

/** The subgraphs and their default local URLs; the gateway overrides URLs from its environment. */
export const SUBGRAPHS = [
  { name: 'shop', url: 'http://127.0.0.1:4001/graphql' },
  { name: 'crm', url: 'http://127.0.0.1:4002/graphql' },
  { name: 'mes', url: 'http://127.0.0.1:4003/graphql' },
] as const;

const root = new URL('..', import.meta.url);
export const supergraphPath = new URL('schema/supergraph.graphql', root);

export function compose(): string {
  const result = composeServices(
    SUBGRAPHS.map(({ name, url }) => ({
      name,
      url,
      typeDefs: parse(readFileSync(new URL(`subgraphs/${name}/src/schema.graphql`, root), 'utf8')),
    })),
  );
  if (result.errors) {
    throw new Error(`composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return result.supergraphSdl;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const check = process.argv.includes('--check');
  try {
    const sdl = compose();
    if (check) {
      const committed = readFileSync(supergraphPath, 'utf8');
      if (committed !== sdl) {
        console.error('schema/supergraph.graphql is stale: run `pnpm --filter @fabline/schema compose` and commit it');
        process.exit(1);
      }
      console.log('supergraph is up to date');
    } else {
      writeFileSync(supergraphPath, sdl);
      console.log(`wrote ${supergraphPath.pathname}`);
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}
