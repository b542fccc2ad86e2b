import type { MutationResolvers } from '../generated/graphql.ts';
import { advanceProduction } from '../production.ts';
import { requestQuote } from '../quotes.ts';

export const Mutation: MutationResolvers = {
  requestQuote: async (_, args, ctx, info) => {
    await ctx.fieldLimits?.(ctx, info, args, { max: ctx.env.QUOTE_LIMIT_PER_MINUTE });
    return requestQuote(ctx, args.input);
  },
  advanceProduction: (_, { orderId, stage }, ctx) => advanceProduction(ctx, orderId, stage),
};
