import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { z } from 'zod';
import type { CrmContext } from './context.ts';
import type { Prisma } from './generated/prisma/client.ts';

/** The people who order: customers, and partners ordering through the API. */
const ORDERING_ROLES = ['CUSTOMER', 'PARTNER'] as const;
const cursorShape = z.tuple([z.string(), z.uuid()]);

function parseCursor(after: string | null | undefined) {
  if (!after) return null;
  try {
    const [name, id] = cursorShape.parse(JSON.parse(Buffer.from(after, 'base64url').toString()));
    return { name, id };
  } catch {
    throw userError('BAD_USER_INPUT', '`after` is not a cursor from this list');
  }
}

/**
 * Keyset pagination over (name, id) on the (role, name, id) index; `search` matches a part of the
 * name or email in any case (ILIKE, wildcards in it taken literally). `totalCount` is counted only
 * when a client selects it.
 */
export async function listCustomers(ctx: CrmContext, first: number, after: string | null | undefined, search: string | null | undefined) {
  requireViewer(ctx.viewer, ['MANAGER', 'ADMIN']);
  if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
  const text = search?.trim() ?? '';
  if (text.length > 200) throw userError('BAD_USER_INPUT', '`search` must be at most 200 characters');
  const cursor = parseCursor(after);
  // Prisma passes `contains` into ILIKE as it is: escaped, `%` and `_` match themselves
  const pattern = text.replace(/[\\%_]/g, (c) => `\\${c}`);
  const where: Prisma.AccountWhereInput = {
    role: { in: [...ORDERING_ROLES] },
    ...(text && { OR: [{ name: { contains: pattern, mode: 'insensitive' } }, { email: { contains: pattern, mode: 'insensitive' } }] }),
  };
  const rows = await ctx.prisma.account.findMany({
    where: cursor ? { AND: [where, { OR: [{ name: { gt: cursor.name } }, { name: cursor.name, id: { gt: cursor.id } }] }] } : where,
    orderBy: [{ name: 'asc' }, { id: 'asc' }],
    take: first + 1,
  });
  const page = rows.slice(0, first);
  for (const row of page) ctx.loaders.account.prime(row.id, row);
  const edges = page.map((node) => ({ node, cursor: Buffer.from(JSON.stringify([node.name, node.id])).toString('base64url') }));
  return {
    edges,
    pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: () => ctx.prisma.account.count({ where }),
  };
}

export type PersonPage = Awaited<ReturnType<typeof listCustomers>>;
