import { isStaff } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { notFound } from '@fabline/shared/ids';
import type { PersonResolvers } from '../generated/graphql.ts';

export const Person: PersonResolvers = {
  /** Staff see everyone; customers and partners see only themselves. */
  __resolveReference: async ({ id }, { viewer, loaders }) => {
    if (!viewer) throw userError('UNAUTHENTICATED', 'Log in to see people');
    if (!isStaff(viewer) && viewer.id !== id) throw notFound('Person', id);
    return loaders.account.load(id);
  },
  /** Internal notes are for staff only; anyone else gets an empty list, as on `Review.notes`. */
  orderNotes: async ({ id }, { first }, { viewer, prisma }) => {
    if (!isStaff(viewer)) return [];
    if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
    const orders = await prisma.review.findMany({ where: { customerId: id }, select: { orderId: true } });
    if (orders.length === 0) return [];
    return prisma.note.findMany({ where: { orderId: { in: orders.map((o) => o.orderId) } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: first });
  },
};
