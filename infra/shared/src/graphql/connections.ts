import type { z } from 'zod';
import { userError } from './errors.ts';

/**
 * Relay-style connections over keyset pagination, one way for every list a subgraph pages: the
 * cursor is the row's sort key (a JSON tuple, base64url), a page is read with `first + 1` rows to
 * know whether another follows, and `first` has a maximum a client is told about.
 */

/** Refuses a page size outside 1…max with BAD_USER_INPUT. */
export function assertFirst(first: number, max: number) {
  if (!Number.isInteger(first) || first < 1 || first > max) throw userError('BAD_USER_INPUT', `\`first\` must be between 1 and ${max}`);
}

/** The cursor of a row: its sort key. */
export const encodeCursor = (key: readonly unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

/** The sort key in `after` (null without one); a cursor that is not this list's is BAD_USER_INPUT. */
export function decodeCursor<T>(after: string | null | undefined, shape: z.ZodType<T>): T | null {
  if (!after) return null;
  try {
    return shape.parse(JSON.parse(Buffer.from(after, 'base64url').toString()));
  } catch {
    throw userError('BAD_USER_INPUT', '`after` is not a cursor from this list');
  }
}

/** A page from `first + 1` rows read in order: its edges and pageInfo. */
export function pageOf<Row, Node = Row>(rows: readonly Row[], first: number, keyOf: (row: Row) => readonly unknown[], nodeOf?: (row: Row) => Node) {
  const page = rows.slice(0, first);
  const edges = page.map((row) => ({ node: nodeOf ? nodeOf(row) : (row as unknown as Node), cursor: encodeCursor(keyOf(row)) }));
  return { edges, pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null } };
}
