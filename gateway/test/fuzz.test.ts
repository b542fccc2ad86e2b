import fc from 'fast-check';
import { type DocumentNode, Kind, type OperationDefinitionNode, parse, visit } from 'graphql';
import { describe, expect, it } from 'vitest';
import { measureOperation } from '../src/traffic/operationLimits.ts';
import { hostileOperationArbitrary, operationArbitrary } from './fuzz/documents.ts';

// The gateway measures every operation before it plans it. Whatever the document, that walk
// must stay proportional to the document's size: counted in visits (reads of a selection set's
// `selections`, through a proxy over the parsed document), never in time.

const SEED = Number(process.env.FUZZ_SEED ?? 18_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
/** Visits allowed per selection set of the document. */
const K = 4;

/** The document behind a proxy that counts reads of `selections`; past `budget` it throws, so an exponential walk ends at once. */
function counted(document: DocumentNode, budget: number) {
  const state = { visits: 0 };
  const proxies = new WeakMap<object, object>();
  const wrap = <T>(value: T): T => {
    if (typeof value !== 'object' || value === null) return value;
    let proxy = proxies.get(value);
    if (!proxy) {
      proxy = new Proxy(value, {
        get(target, key, receiver) {
          if (key === 'selections' && ++state.visits > budget) throw new Error(`more than ${budget} visits`);
          return wrap(Reflect.get(target, key, receiver));
        },
      });
      proxies.set(value, proxy);
    }
    return proxy as T;
  };
  return { document: wrap(document), state };
}

const selectionSetsOf = (document: DocumentNode) => {
  let count = 0;
  visit(document, {
    SelectionSet() {
      count++;
    },
  });
  return count;
};

const parsed = (query: string): DocumentNode | null => {
  try {
    // the gateway parses with a token limit; larger documents never reach the measurement
    return parse(query, { maxTokens: 5000 });
  } catch {
    return null;
  }
};

describe('operation measurement on generated documents', () => {
  it(`visits each selection set at most ${K} times, fragments spread however often`, () => {
    console.info(`fuzz (unit): seed ${SEED}`);
    const documents = fc.oneof(operationArbitrary(), hostileOperationArbitrary).map((operation) => operation.query);
    fc.assert(
      fc.property(documents, (query) => {
        const document = parsed(query);
        if (!document) return;
        const size = selectionSetsOf(document);
        for (const definition of document.definitions) {
          if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
          const { document: watched, state } = counted(document, K * size);
          const operation = watched.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.loc?.start === definition.loc?.start);
          const shape = measureOperation(watched, operation as OperationDefinitionNode);
          expect(state.visits).toBeLessThanOrEqual(K * size);
          expect(Number.isFinite(shape.depth) && Number.isFinite(shape.aliases)).toBe(true);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('counts a fragment ladder as the fields it would execute, without walking them', () => {
    const depth = 30;
    const rungs = Array.from({ length: depth }, (_, i) => `fragment F${i + 1} on Query { ...F${i} ...F${i} }`);
    const document = parse(`query { ...F${depth} }\nfragment F0 on Query { a: materials { code } }\n${rungs.join('\n')}`);
    const { document: watched, state } = counted(document, K * selectionSetsOf(document));
    const shape = measureOperation(watched, watched.definitions[0] as OperationDefinitionNode);
    expect(shape.aliases).toBeGreaterThanOrEqual(2 ** 20); // 2^30 aliases once inlined, or a lower bound over the limit
    expect(state.visits).toBeLessThanOrEqual(K * selectionSetsOf(document));
  });
});
