import { loadReferenced } from '@fabline/shared/loaders';
import type { QuoteResolvers } from '../generated/graphql.ts';
import type { Quote as QuoteRow } from '../generated/prisma/client.ts';
import { assertCanSeeQuote } from '../quotes.ts';
import { quoteAnalysis } from './QuoteAnalysis.ts';

export const Quote: QuoteResolvers = {
  __resolveReference: async ({ id }, ctx) => {
    const quote = await ctx.loaders.quote.load(id);
    return quote ? assertCanSeeQuote(quote, ctx) : null;
  },
  price: (quote) => (quote.amount === null ? null : { amount: quote.amount.toFixed(2), currency: quote.currency }),
  analysis: (quote) =>
    quote.volumeMm3 === null || quote.geometryHash === null
      ? null
      : quoteAnalysis({
          volumeMm3: quote.volumeMm3,
          surfaceAreaMm2: quote.surfaceAreaMm2 ?? 0,
          triangleCount: quote.triangleCount ?? 0,
          watertight: quote.watertight ?? false,
          geometryHash: quote.geometryHash,
          widthMm: quote.widthMm,
          depthMm: quote.depthMm,
          heightMm: quote.heightMm,
        }),
  model: (quote) => ({ id: quote.modelId }),
  material: (quote, _, { loaders }) => loadReferenced(loaders.material, quote.materialCode, `Material ${quote.materialCode} of quote ${quote.id}`),
  estimatedPrintSeconds: (quote) => quote.printSeconds,
  breakdown: (quote) => {
    if (quote.status !== 'READY' || quote.materialCost === null) return null;
    const money = (value: QuoteRow['discount']) => ({ amount: value ? value.toFixed(2) : '0.00', currency: quote.currency });
    return {
      material: money(quote.materialCost),
      machineTime: money(quote.machineCost),
      setup: money(quote.setupFee),
      discount: money(quote.discount),
      discountPercent: quote.discountPercent?.toNumber() ?? 0,
      minimumSurcharge: money(quote.minimumSurcharge),
    };
  },
};
