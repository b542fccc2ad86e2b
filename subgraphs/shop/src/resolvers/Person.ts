import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { PersonResolvers } from '../generated/graphql.ts';
import { listOrders } from '../orders.ts';

export const Person: PersonResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orders: ({ id }, { first, after }, ctx) => {
    const me = requireViewer(ctx.viewer);
    if (!isStaff(me) && me.id !== id) throw userError('FORBIDDEN', 'You can only list your own orders');
    return listOrders(ctx, id, first, after);
  },
};
