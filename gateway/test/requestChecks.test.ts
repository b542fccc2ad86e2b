import { getIntrospectionQuery, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { inspectBody, inspectQuery, MAX_BODY_DEPTH, mostRepeatedField } from '../src/requestChecks.ts';

const repeat = (n: number, text: string) => Array.from({ length: n }, () => text).join(' ');

describe('request body checks', () => {
  it('refuse nesting past the bound without recursion, and NUL in any string', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(inspectBody({ variables: { v: deep } })).toBe(`The request nests values more than ${MAX_BODY_DEPTH} levels deep`);
    expect(inspectBody({ query: '{ a }', variables: { input: { names: ['x', 'y\u0000'] } } })).toMatch(/NUL/);
    expect(inspectBody([{ query: '{ a }', variables: { a: { b: [1, 'two', null, true] } } }])).toBeNull();
  });

  it('leave what is not JSON alone (the Upload values of a multipart request)', () => {
    class Upload {
      self = this;
      name = 'bad\u0000name';
    }
    expect(inspectBody({ variables: { file: new Upload() } })).toBeNull();
  });
});

describe('fields repeated under one response name (what makes graphql-js validation quadratic)', () => {
  it('are counted through inline fragments and the merged selections of same-named fields', () => {
    expect(mostRepeatedField(parse(`{ ${repeat(350, '... { a: materials { code } }')} }`))).toEqual({ name: 'a', count: 350 });
    expect(mostRepeatedField(parse(`{ ${repeat(40, `a: materials { ${repeat(10, 'p: pricePerKg { amount }')} }`)} }`))).toEqual({ name: 'p', count: 400 });
    expect(mostRepeatedField(parse('{ a: materials { code } a: materials { name } } fragment F on Material { code name }')).count).toBe(2);
    expect(mostRepeatedField(parse(getIntrospectionQuery())).count).toBeLessThanOrEqual(2);
  });

  it('refuse a query text over the bound, before Apollo parses and validates it; leave syntax errors to Apollo', () => {
    expect(inspectQuery(`{ ${repeat(51, 'code')} }`)).toBe('The operation selects "code" 51 times in one place; at most 50 are allowed');
    expect(inspectQuery(`{ ${repeat(50, 'code')} }`)).toBeNull();
    expect(inspectQuery('{ materials { ')).toBeNull();
  });
});
