import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { assertId, notFound } from '@fabline/shared/ids';
import type { QueryResolvers } from '../generated/graphql.ts';

export const Query: QueryResolvers = {
  viewer: (_, __, { viewer }) => (viewer ? { id: viewer.id } : null),
  person: async (_, { id }, { viewer, loaders }) => {
    const me = requireViewer(viewer);
    assertId(id, 'person');
    const person = isStaff(me) || me.id === id ? await loaders.account.load(id) : null;
    if (!person) throw notFound('Person', id);
    return person;
  },
  ordersAwaitingReview: async (_, { first }, { viewer, prisma }) => {
    requireViewer(viewer, ['MANAGER', 'ADMIN']);
    if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
    const reviews = await prisma.review.findMany({ where: { decision: 'PENDING' }, orderBy: { placedAt: 'asc' }, take: first });
    return reviews.map((r) => ({ id: r.orderId }));
  },
};
