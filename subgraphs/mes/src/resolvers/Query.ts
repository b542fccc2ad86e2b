import { requireViewer } from '@fabline/shared/auth';
import { userError } from '@fabline/shared/errors';
import { z } from 'zod';
import type { MesContext } from '../context.ts';
import type { ProductionStage } from '../generated/prisma/client.ts';
import { assertCanSeeQuote } from '../quotes.ts';

const uuid = z.uuid();

export const Query = {
  materials: (_: unknown, __: unknown, { prisma }: MesContext) => prisma.material.findMany({ where: { active: true }, orderBy: { code: 'asc' } }),
  material: async (_: unknown, { code }: { code: string }, { loaders }: MesContext) => {
    const material = await loaders.material.load(code);
    return material?.active ? material : null;
  },
  quote: async (_: unknown, { id }: { id: string }, ctx: MesContext) => {
    requireViewer(ctx.viewer);
    if (!uuid.safeParse(id).success) throw userError('BAD_USER_INPUT', `"${id}" is not a quote id`);
    const quote = await ctx.loaders.quote.load(id);
    return quote ? assertCanSeeQuote(quote, ctx) : null;
  },
  productionQueue: async (_: unknown, { stage, first }: { stage?: ProductionStage | null; first: number }, ctx: MesContext) => {
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
