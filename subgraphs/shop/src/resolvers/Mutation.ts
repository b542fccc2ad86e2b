import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { EVENTS, type OrderCancelled } from '@fabline/shared/events';
import { notFound } from '@fabline/shared/ids';
import { outboxEvent } from '@fabline/shared/outbox';
import type { MutationResolvers } from '../generated/graphql.ts';
import { applyStatus, assertCanSee, assertOrderId, placeOrder } from '../orders.ts';
import { completeUpload, createUploadUrl, uploadModel } from '../uploads.ts';

export const Mutation: MutationResolvers = {
  uploadModel: (_, { file }, ctx) => uploadModel(ctx, file),
  createUploadUrl: (_, __, ctx) => createUploadUrl(ctx),
  completeUpload: (_, { uploadId, filename }, ctx) => completeUpload(ctx, uploadId, filename),
  placeOrder: (_, { input }, ctx) => placeOrder(ctx, input),
  cancelOrder: async (_, { id }, ctx) => {
    requireViewer(ctx.viewer);
    assertOrderId(id);
    const order = await ctx.prisma.order.findUnique({ where: { id } });
    if (!order) throw notFound('Order', id);
    assertCanSee(order, ctx.viewer);
    const cancelled: OrderCancelled = { orderId: id, customerId: order.customerId, at: new Date().toISOString() };
    const changed = await applyStatus(ctx, id, 'CANCELLED', `cancel:${id}`, outboxEvent(EVENTS.orderCancelled, cancelled));
    if (!changed) throw userError('CONFLICT', `Order ${id} is ${order.status.toLowerCase()} and can no longer be cancelled`);
    ctx.outbox.nudge();
    return ctx.prisma.order.findUniqueOrThrow({ where: { id } });
  },
};
