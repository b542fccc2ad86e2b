import type { MesContext } from '../context.ts';
import type { ProductionStage } from '../generated/prisma/client.ts';
import { advanceProduction } from '../production.ts';
import { requestQuote } from '../quotes.ts';

export const Mutation = {
  requestQuote: (_: unknown, { input }: { input: unknown }, ctx: MesContext) => requestQuote(ctx, input),
  advanceProduction: (_: unknown, { orderId, stage }: { orderId: string; stage: ProductionStage }, ctx: MesContext) => advanceProduction(ctx, orderId, stage),
};
