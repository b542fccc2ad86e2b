import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { assertId, notFound } from '@fabline/shared/ids';
import type { QueryResolvers } from '../generated/graphql.ts';
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
  productionQueue: async (_, { stage, first }, ctx) => {
    requireViewer(ctx.viewer, ['OPERATOR', 'MANAGER', 'ADMIN']);
    if (first < 1 || first > 200) throw userError('BAD_USER_INPUT', '`first` must be between 1 and 200');
    const rows = await ctx.prisma.productionOrder.findMany({
      where: stage ? { stage } : {},
      orderBy: { queuedAt: 'asc' },
      take: first,
    });
    for (const row of rows) ctx.loaders.production.prime(row.orderId, row);
    return rows.map((row) => ({ id: row.orderId }));
  },
};
