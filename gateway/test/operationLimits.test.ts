import { getIntrospectionQuery, getOperationAST, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { checkOperationLimits, type MeasureOptions, measureOperation } from '../src/traffic/operationLimits.ts';
import { countingReads, fragmentBomb } from './fragmentBomb.ts';

const measure = (query: string, options?: MeasureOptions) => {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error('no operation');
  return measureOperation(document, operation, options);
};

const limits = { maxDepth: 3, maxAliases: 1, maxRootFields: 2, maxDirectivesPerField: 1 };
const BOMB = 30;

describe('operation limits', () => {
  it('measures depth, aliases, root fields and directives with fragments inlined', () => {
    const shape = measure('query { a: order(id: 1) { ...F } b: order(id: 2) @skip(if: false) { id } } fragment F on Order { items { quote { id } } }');
    expect(shape).toEqual({ depth: 4, aliases: 2, rootFields: 2, directivesPerField: 1, fields: 6, introspectionDepth: 0 });
  });

  it('measures fragments that spread each other twice once each: work follows the document, counts the inlined size', () => {
    const { document, reads } = countingReads(fragmentBomb(BOMB, 'Material', 'code', '{ materials { ...F0 } }'));
    const operation = getOperationAST(document);
    if (!operation) throw new Error('no operation');
    const shape = measureOperation(document, operation);
    // 1 root field, then 2^n inlined copies of `code`
    expect(shape).toMatchObject({ depth: 2, rootFields: 1, fields: 1 + 2 ** BOMB });
    expect(reads()).toBeLessThanOrEqual(BOMB + 1);
    const over = checkOperationLimits(shape, { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxDirectivesPerField: 5 });
    expect(over?.code).toBe('MAX_FIELDS_LIMIT');
    expect(over?.message).toMatch(/selects \d+ fields once its fragments are inlined; at most 20000 are allowed/);
  });

  it('counts aliases and root fields of a fragment by its uses, and stops at the first limit passed', () => {
    const query = `{ ...R } fragment R on Query { ...A ...A } fragment A on Query { ${Array.from({ length: 200 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    expect(measure(query)).toMatchObject({ aliases: 400, rootFields: 400, fields: 400 });
    const { document, reads } = countingReads(query);
    const shape = measureOperation(document, getOperationAST(document) as OperationDefinitionNode, { limits });
    expect(checkOperationLimits(shape, limits)?.code).toBe('MAX_ALIASES_LIMIT');
    // fragment A is over the alias limit on its own: R is never finished
    expect(reads()).toBe(2);
    expect(shape.aliases).toBe(200);
  });

  it('lets the standard introspection query through; its depth is counted apart and still bounded', () => {
    const generous = { maxDepth: 12, maxAliases: 30, maxRootFields: 20, maxDirectivesPerField: 5 };
    const standard = measure(getIntrospectionQuery());
    expect(standard.depth).toBe(1);
    expect(checkOperationLimits(standard, generous)).toBeNull();
    const abuse = measure(`{ __type(name: "Order") { name ${'ofType { '.repeat(40)}name${' }'.repeat(40)} } }`);
    expect(checkOperationLimits(abuse, generous)).toEqual({
      code: 'MAX_DEPTH_LIMIT',
      message: 'The operation nests introspection 42 levels deep; at most 20 are allowed',
    });
    // introspection under an ordinary field still counts that field's depth
    expect(measure('{ a { b { __typename } } }').depth).toBe(3);
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
