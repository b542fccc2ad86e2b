import { writeFileSync } from 'node:fs';
import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { SUBGRAPHS, sdl } from './subgraphs/schemas.ts';

/** Composes the four bench subgraphs served at `${base}/<name>` and writes the supergraph to `path`. */
export function writeSupergraph(base: string, path: string): string {
  const result = composeServices(SUBGRAPHS.map((name) => ({ name, url: `${base}/${name}`, typeDefs: parse(sdl[name]) })));
  if (result.errors) throw new Error(`bench supergraph does not compose:\n${result.errors.map((e) => e.message).join('\n')}`);
  writeFileSync(path, result.supergraphSdl);
  return path;
}
