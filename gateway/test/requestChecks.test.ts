import { describe, expect, it } from 'vitest';
import { inspectBody, MAX_BODY_DEPTH } from '../src/requestChecks.ts';

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
