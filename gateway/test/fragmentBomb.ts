import { type DocumentNode, Kind, parse } from 'graphql';

/**
 * n fragments on `type`, each spreading the next twice, the last selecting `leaf`: 2^n selections
 * once inlined, from a document of about 10·n tokens.
 */
export function fragmentBomb(n: number, type: string, leaf: string, at: string) {
  let query = at;
  for (let i = 0; i < n; i++) query += ` fragment F${i} on ${type} { ...F${i + 1} ...F${i + 1} }`;
  return `${query} fragment F${n} on ${type} { ${leaf} }`;
}

/**
 * The document, with a count of how often anything reads a fragment's selections: the work a walk
 * of the document does, whatever code walks it (no hook in the code under test).
 */
export function countingReads(query: string): { document: DocumentNode; reads: () => number } {
  const document = parse(query);
  let reads = 0;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    const { selections } = definition.selectionSet;
    Object.defineProperty(definition.selectionSet, 'selections', {
      get() {
        reads++;
        return selections;
      },
    });
  }
  return { document, reads: () => reads };
}
