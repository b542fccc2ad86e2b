import { isStaff, requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { ShopContext } from '../context.ts';
import { assertCanSee, assertOrderId, listOrders } from '../orders.ts';

export const Query = {
  order: async (_: unknown, { id }: { id: string }, ctx: ShopContext) => {
    requireViewer(ctx.viewer);
    assertOrderId(id);
    const order = await ctx.loaders.order.load(id);
    return order ? assertCanSee(order, ctx.viewer) : null;
  },
  myOrders: (_: unknown, { first, after }: { first: number; after?: string | null }, ctx: ShopContext) =>
    listOrders(ctx, requireViewer(ctx.viewer).id, first, after),
  model: async (_: unknown, { id }: { id: string }, ctx: ShopContext) => {
    const me = requireViewer(ctx.viewer);
    assertOrderId(id);
    const model = await ctx.loaders.model.load(id);
    if (model && !isStaff(me) && model.ownerId !== me.id) throw userError('FORBIDDEN', `Model ${id} belongs to another customer`);
    return model;
  },
};
