import { isStaff, requireViewer } from '@fabline/shared/auth';
import { notFound } from '@fabline/shared/ids';
import type { PersonResolvers } from '../generated/graphql.ts';
import { listOrders } from '../orders.ts';

export const Person: PersonResolvers = {
  __resolveReference: ({ id }) => ({ id }),
  orders: ({ id }, { first, after }, ctx) => {
    const me = requireViewer(ctx.viewer);
    if (!isStaff(me) && me.id !== id) throw notFound('Person', id);
    return listOrders(ctx, { customerId: id }, first, after);
  },
};
