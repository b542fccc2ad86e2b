import type { OrderResolvers, ProductionQueueConnectionResolvers } from '../generated/graphql.ts';

export const Order: OrderResolvers = {
  // The shop decides who may see an order; mes only adds production to an order the gateway already resolved.
  __resolveReference: ({ id }) => ({ id }),
  production: ({ id }, _, { loaders }) => loaders.production.load(id),
};

export const ProductionQueueConnection: ProductionQueueConnectionResolvers = {
  totalCount: (page) => page.totalCount(),
};
