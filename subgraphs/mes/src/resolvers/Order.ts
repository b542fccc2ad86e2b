import type { MesContext } from '../context.ts';

export const Order = {
  // The shop decides who may see an order; mes only adds production to an order the gateway already resolved.
  __resolveReference: ({ id }: { id: string }) => ({ id }),
  production: ({ id }: { id: string }, _: unknown, { loaders }: MesContext) => loaders.production.load(id),
};
