import { requireViewer } from '@fabline/shared/auth';
import { assertFirst, decodeCursor, pageOf } from '@fabline/shared/connections';
import { userError } from '@fabline/shared/errors';
import { z } from 'zod';
import type { CrmContext } from './context.ts';
import type { Prisma } from './generated/prisma/client.ts';

/** The people who order: customers, and partners ordering through the API. */
const ORDERING_ROLES = ['CUSTOMER', 'PARTNER'] as const;
const cursorShape = z.tuple([z.string(), z.uuid()]);

function parseCursor(after: string | null | undefined) {
  const key = decodeCursor(after, cursorShape);
  return key && { name: key[0], id: key[1] };
}

/**
 * Keyset pagination over (name, id) on the (role, name, id) index; `search` matches a part of the
 * name or email in any case (ILIKE, wildcards in it taken literally). `totalCount` is counted only
 * when a client selects it.
 */
export async function listCustomers(ctx: CrmContext, first: number, after: string | null | undefined, search: string | null | undefined) {
  requireViewer(ctx.viewer, ['MANAGER', 'ADMIN']);
  assertFirst(first, 100);
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
  for (const row of rows.slice(0, first)) ctx.loaders.account.prime(row.id, row);
  return {
    ...pageOf(rows, first, (row) => [row.name, row.id]),
    totalCount: () => ctx.prisma.account.count({ where }),
  };
}

export type PersonPage = Awaited<ReturnType<typeof listCustomers>>;
