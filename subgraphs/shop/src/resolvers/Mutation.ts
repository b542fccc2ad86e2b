import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { EVENTS, type OrderCancelled } from '@fabline/shared/events';
import { outboxEvent } from '@fabline/shared/outbox';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import type { ShopContext } from '../context.ts';
import { applyStatus, assertCanSee, assertOrderId, placeOrder } from '../orders.ts';
import { completeUpload, createUploadUrl, uploadModel } from '../uploads.ts';

export const Mutation = {
  uploadModel: (_: unknown, { file }: { file: Promise<FileUpload> }, ctx: ShopContext) => uploadModel(ctx, file),
  createUploadUrl: (_: unknown, __: unknown, ctx: ShopContext) => createUploadUrl(ctx),
  completeUpload: (_: unknown, { uploadId, filename }: { uploadId: string; filename: string }, ctx: ShopContext) => completeUpload(ctx, uploadId, filename),
  placeOrder: (_: unknown, { input }: { input: { items: { quoteId: string }[] } }, ctx: ShopContext) => placeOrder(ctx, input),
  cancelOrder: async (_: unknown, { id }: { id: string }, ctx: ShopContext) => {
    requireViewer(ctx.viewer);
    assertOrderId(id);
    const order = await ctx.prisma.order.findUnique({ where: { id } });
    if (!order) throw userError('NOT_FOUND', `Order ${id} not found`);
    assertCanSee(order, ctx.viewer);
    const cancelled: OrderCancelled = { orderId: id, customerId: order.customerId, at: new Date().toISOString() };
    const changed = await applyStatus(ctx, id, 'CANCELLED', `cancel:${id}`, outboxEvent(EVENTS.orderCancelled, cancelled));
    if (!changed) throw userError('CONFLICT', `Order ${id} is ${order.status.toLowerCase()} and can no longer be cancelled`);
    ctx.outbox.nudge();
    return ctx.prisma.order.findUniqueOrThrow({ where: { id } });
  },
};
