import { requireViewer } from '@fabline/shared/auth';
import { assertId, notFound } from '@fabline/shared/ids';
import type { QueryResolvers } from '../generated/graphql.ts';
import { productionQueue } from '../production.ts';
import { assertCanSeeQuote } from '../quotes.ts';

export const Query: QueryResolvers = {
  materials: (_, __, { prisma }) => prisma.material.findMany({ where: { active: true }, orderBy: { code: 'asc' } }),
  material: async (_, { code }, { loaders }) => {
    const material = await loaders.material.load(code);
    return material?.active ? material : null;
  },
  quote: async (_, { id }, ctx) => {
    requireViewer(ctx.viewer);
    assertId(id, 'quote');
    const quote = await ctx.loaders.quote.load(id);
    if (!quote) throw notFound('Quote', id);
    return assertCanSeeQuote(quote, ctx);
  },
  productionQueue: (_, { stage, first, after }, ctx) => productionQueue(ctx, stage ?? null, first, after),
};
