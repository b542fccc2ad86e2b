import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { assertFirst, decodeCursor, encodeCursor, pageOf } from '../src/graphql/connections.ts';

const code = (run: () => unknown) => {
  try {
    run();
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions.code : 'not a GraphQLError';
  }
  return 'no error';
};
const key = z.tuple([z.iso.datetime(), z.uuid()]);

describe('connections', () => {
  it('refuse a page size outside 1…max, or not whole, with BAD_USER_INPUT naming the range', () => {
    for (const first of [0, -1, 201, 1.5]) expect(code(() => assertFirst(first, 200))).toBe('BAD_USER_INPUT');
    expect(code(() => assertFirst(200, 200))).toBe('no error');
    expect(() => assertFirst(201, 200)).toThrow('between 1 and 200');
  });

  it('read back the sort key a cursor carries, and refuse what is not a cursor of the list', () => {
    const row = ['2026-12-06T06:00:00.000Z', '0b7c6a5e-1f2d-4c3b-9a8e-7d6c5b4a3f21'] as const;
    expect(decodeCursor(encodeCursor(row), key)).toEqual(row);
    expect(decodeCursor(null, key)).toBeNull();
    expect(decodeCursor('', key)).toBeNull();
    for (const after of ['yesterday', encodeCursor(['Ada', 'x']), Buffer.from('{').toString('base64url')])
      expect(code(() => decodeCursor(after, key))).toBe('BAD_USER_INPUT');
  });

  it('make a page of first + 1 rows: the edges, whether another page follows, and the last cursor', () => {
    const rows = [1, 2, 3].map((n) => ({ n }));
    const full = pageOf(
      rows,
      2,
      (row) => [row.n],
      (row) => ({ id: String(row.n) }),
    );
    expect(full.edges.map((edge) => edge.node)).toEqual([{ id: '1' }, { id: '2' }]);
    expect(full.pageInfo).toEqual({ hasNextPage: true, endCursor: encodeCursor([2]) });
    const last = pageOf(rows, 3, (row) => [row.n]);
    expect(last.edges.at(-1)?.node).toEqual({ n: 3 });
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(pageOf([], 5, () => []).pageInfo).toEqual({ hasNextPage: false, endCursor: null });
  });
});
