import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { QueryResolvers } from '../generated/graphql.ts';

export const Query: QueryResolvers = {
  viewer: (_, __, { viewer }) => (viewer ? { id: viewer.id } : null),
  person: (_, { id }, { viewer, loaders }) => {
    const me = requireViewer(viewer);
    if (!isStaff(me) && me.id !== id) throw userError('FORBIDDEN', 'You can only look up your own account');
    return loaders.account.load(id);
  },
  ordersAwaitingReview: async (_, { first }, { viewer, prisma }) => {
    requireViewer(viewer, ['MANAGER', 'ADMIN']);
    if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
    const reviews = await prisma.review.findMany({ where: { decision: 'PENDING' }, orderBy: { placedAt: 'asc' }, take: first });
    return reviews.map((r) => ({ id: r.orderId }));
  },
};
