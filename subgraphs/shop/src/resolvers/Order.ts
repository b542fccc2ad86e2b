import { isStaff } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import type { ShopContext } from '../context.ts';
import type { OrderItem as ItemRow, Model3D as ModelRow, Order as OrderRow } from '../generated/prisma/client.ts';
import { assertCanSee } from '../orders.ts';

/** An order line as `Order.items` gives it: the row lacks the currency `price` needs, which the order has. */
export type OrderLine = ItemRow & { currency: string };

export const Order = {
  __resolveReference: async ({ id }: { id: string }, ctx: ShopContext) => {
    const order = await ctx.loaders.order.load(id);
    return order ? assertCanSee(order, ctx.viewer) : null;
  },
  customer: (order: OrderRow) => ({ id: order.customerId }),
  items: async (order: OrderRow, _: unknown, { loaders }: ShopContext) =>
    (await loaders.items.load(order.id)).map((item) => ({ ...item, currency: order.currency })),
  total: (order: OrderRow) => ({ amount: order.totalAmount.toFixed(2), currency: order.currency }),
  statusHistory: async (order: OrderRow, { after }: { after?: string | null }, { loaders }: ShopContext) => {
    if (after == null) return loaders.history.load(order.id);
    // subscriptions resume from the last event a client saw: history ids are monotonic per order
    if (!/^\d{1,19}$/.test(after)) throw userError('BAD_USER_INPUT', `"${after}" is not an OrderStatusChange id`);
    const since = BigInt(after);
    return (await loaders.history.load(order.id)).filter((row) => row.id > since);
  },
};

export const OrderItem = {
  quote: (item: ItemRow) => ({ id: item.quoteId }),
  model: (item: ItemRow, _: unknown, { loaders }: ShopContext) => loaders.model.load(item.modelId),
  price: (item: ItemRow & { currency: string }) => ({ amount: item.amount.toFixed(2), currency: item.currency }),
};

export const Model3D = {
  __resolveReference: async ({ id }: { id: string }, ctx: ShopContext) => {
    const model = await ctx.loaders.model.load(id);
    if (model && !isStaff(ctx.viewer) && model.ownerId !== ctx.viewer?.id) throw userError('FORBIDDEN', `Model ${id} belongs to another customer`);
    return model;
  },
  sizeBytes: (model: ModelRow) => Number(model.sizeBytes),
  downloadUrl: (model: ModelRow, _: unknown, ctx: ShopContext) => {
    if (!ctx.viewer || (!isStaff(ctx.viewer) && model.ownerId !== ctx.viewer.id))
      throw userError('FORBIDDEN', `Only the owner of model ${model.id} and staff may download it`);
    return ctx.storage.downloadUrl(model.storageKey, { expiresInSeconds: ctx.env.FILE_URL_TTL_SECONDS, filename: model.filename });
  },
};

export const OrderStatusChange = {
  id: (row: { id: bigint }) => String(row.id),
};
