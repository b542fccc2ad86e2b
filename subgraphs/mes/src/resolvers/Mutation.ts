import type { GraphQLResolveInfo } from 'graphql';
import type { MesContext } from '../context.ts';
import type { ProductionStage } from '../generated/prisma/client.ts';
import { advanceProduction } from '../production.ts';
import { requestQuote } from '../quotes.ts';

export const Mutation = {
  requestQuote: async (_: unknown, args: { input: unknown }, ctx: MesContext, info: GraphQLResolveInfo) => {
    await ctx.fieldLimits?.(ctx, info, args, { max: ctx.env.QUOTE_LIMIT_PER_MINUTE });
    return requestQuote(ctx, args.input);
  },
  advanceProduction: (_: unknown, { orderId, stage }: { orderId: string; stage: ProductionStage }, ctx: MesContext) => advanceProduction(ctx, orderId, stage),
};
