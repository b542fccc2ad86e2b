import { isStaff, requireViewer } from '@fabline/shared/auth';
import { assertId, notFound } from '@fabline/shared/ids';
import type { QueryResolvers } from '../generated/graphql.ts';
import { assertCanSee, assertOrderId, listOrders } from '../orders.ts';

export const Query: QueryResolvers = {
  order: async (_, { id }, ctx) => {
    requireViewer(ctx.viewer);
    assertOrderId(id);
    const order = await ctx.loaders.order.load(id);
    if (!order) throw notFound('Order', id);
    return assertCanSee(order, ctx.viewer);
  },
  myOrders: (_, { first, after }, ctx) => listOrders(ctx, { customerId: requireViewer(ctx.viewer).id }, first, after),
  orders: (_, { first, after, status, needsReview, sort }, ctx) => {
    requireViewer(ctx.viewer, ['MANAGER', 'ADMIN']);
    return listOrders(ctx, { status, needsReview }, first, after, sort === 'OLDEST_FIRST');
  },
  model: async (_, { id }, ctx) => {
    const me = requireViewer(ctx.viewer);
    assertId(id, 'model');
    const model = await ctx.loaders.model.load(id);
    if (!model || (!isStaff(me) && model.ownerId !== me.id)) throw notFound('Model', id);
    return model;
  },
  uploadLimits: (_, _args, ctx) => ({ maxBytes: ctx.env.MAX_UPLOAD_BYTES, formats: ['STL', 'OBJ', 'THREE_MF'] }),
};
