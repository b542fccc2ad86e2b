import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { ShopContext } from '../context.ts';
import { listOrders } from '../orders.ts';

export const Person = {
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  orders: ({ id }: { id: string }, { first, after }: { first: number; after?: string | null }, ctx: ShopContext) => {
    const me = requireViewer(ctx.viewer);
    if (!isStaff(me) && me.id !== id) throw userError('FORBIDDEN', 'You can only list your own orders');
    return listOrders(ctx, id, first, after);
  },
};
