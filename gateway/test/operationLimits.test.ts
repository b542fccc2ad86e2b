import { getOperationAST, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationLimits, measureOperation } from '../src/traffic/operationLimits.ts';

const measure = (query: string) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return measureOperation(document, operation);
};
const limits = { maxDepth: 3, maxAliases: 1, maxRootFields: 2, maxDirectivesPerField: 1 };

describe('operation limits', () => {
  it('measures depth, aliases, root fields and directives with fragments inlined', () => {
    const shape = measure('query { a: order(id: 1) { ...F } b: order(id: 2) @skip(if: false) { id } } fragment F on Order { items { quote { id } } }');
    expect(shape).toEqual({ depth: 4, aliases: 2, rootFields: 2, directivesPerField: 1 });
  });

  it('names the limit that was passed and what is allowed', () => {
    expect(checkOperationLimits({ depth: 4, aliases: 0, rootFields: 1, directivesPerField: 0 }, limits)).toEqual({
      code: 'MAX_DEPTH_LIMIT',
      message: 'The operation is nested 4 levels deep; at most 3 are allowed',
    });
    expect(checkOperationLimits({ depth: 1, aliases: 2, rootFields: 1, directivesPerField: 0 }, limits)?.code).toBe('MAX_ALIASES_LIMIT');
    expect(checkOperationLimits({ depth: 1, aliases: 0, rootFields: 3, directivesPerField: 0 }, limits)?.code).toBe('MAX_ROOT_FIELDS_LIMIT');
    expect(checkOperationLimits({ depth: 1, aliases: 0, rootFields: 1, directivesPerField: 2 }, limits)?.code).toBe('MAX_DIRECTIVES_LIMIT');
    expect(checkOperationLimits({ depth: 3, aliases: 1, rootFields: 2, directivesPerField: 1 }, limits)).toBeNull();
  });
});
