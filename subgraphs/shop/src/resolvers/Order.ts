import { isStaff } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { notFound } from '@fabline/shared/ids';
import { loadReferenced } from '@fabline/shared/loaders';
import type { Model3DResolvers, OrderConnectionResolvers, OrderItemResolvers, OrderResolvers, OrderStatusChangeResolvers } from '../generated/graphql.ts';
import type { OrderItem as ItemRow } from '../generated/prisma/client.ts';
import { assertCanSee } from '../orders.ts';

/** An order line as `Order.items` gives it: the row lacks the currency `price` needs, which the order has. */
export type OrderLine = ItemRow & { currency: string };

export const Order: OrderResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const order = await ctx.loaders.order.load(id);
    return order ? assertCanSee(order, ctx.viewer) : null;
  },
  customer: (order) => ({ id: order.customerId }),
  items: async (order, _, { loaders }) => (await loaders.items.load(order.id)).map((item) => ({ ...item, currency: order.currency })),
  total: (order) => ({ amount: order.totalAmount.toFixed(2), currency: order.currency }),
  statusHistory: async (order, { after }, { loaders }) => {
    if (after == null) return loaders.history.load(order.id);
    // subscriptions resume from the last event a client saw: history ids are monotonic per order
    if (!/^\d{1,19}$/.test(after)) throw userError('BAD_USER_INPUT', `"${after}" is not an OrderStatusChange id`);
    const since = BigInt(after);
    return (await loaders.history.load(order.id)).filter((row) => row.id > since);
  },
};

export const OrderItem: OrderItemResolvers = {
  quote: (item) => ({ id: item.quoteId }),
  model: (item, _, { loaders }) => loadReferenced(loaders.model, item.modelId, `Model ${item.modelId} of order item ${item.id}`),
  price: (item) => ({ amount: item.amount.toFixed(2), currency: item.currency }),
};

export const Model3D: Model3DResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const model = await ctx.loaders.model.load(id);
    if (model && !isStaff(ctx.viewer) && model.ownerId !== ctx.viewer?.id) throw notFound('Model', id);
    return model;
  },
  sizeBytes: (model) => Number(model.sizeBytes),
  downloadUrl: (model, _, ctx) => {
    if (!ctx.viewer || (!isStaff(ctx.viewer) && model.ownerId !== ctx.viewer.id)) throw notFound('Model', model.id);
    return ctx.storage.downloadUrl(model.storageKey, { expiresInSeconds: ctx.env.FILE_URL_TTL_SECONDS, filename: model.filename });
  },
};

export const OrderStatusChange: OrderStatusChangeResolvers = {
  id: (row) => String(row.id),
};

export const OrderConnection: OrderConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};
