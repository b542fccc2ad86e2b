import type { CrmContext } from '../context.ts';

export const Order = {
  // The shop decides who may see an order; crm only adds the review to an order the gateway already resolved.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  review: ({ id }: { id: string }, _: unknown, { loaders }: CrmContext) => loaders.review.load(id),
};
