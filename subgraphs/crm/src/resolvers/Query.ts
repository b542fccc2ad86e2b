import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { CrmContext } from '../context.ts';

export const Query = {
  viewer: (_: unknown, __: unknown, { viewer }: CrmContext) => (viewer ? { id: viewer.id } : null),
  person: (_: unknown, { id }: { id: string }, { viewer, loaders }: CrmContext) => {
    const me = requireViewer(viewer);
    if (!isStaff(me) && me.id !== id) throw userError('FORBIDDEN', 'You can only look up your own account');
    return loaders.account.load(id);
  },
  ordersAwaitingReview: async (_: unknown, { first }: { first: number }, { viewer, prisma }: CrmContext) => {
    requireViewer(viewer, ['MANAGER', 'ADMIN']);
    if (first < 1 || first > 100) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 100');
    const reviews = await prisma.review.findMany({ where: { decision: 'PENDING' }, orderBy: { placedAt: 'asc' }, take: first });
    return reviews.map((r) => ({ id: r.orderId }));
  },
};
