import type { MesContext } from '../context.ts';
import type { Quote as QuoteRow } from '../generated/prisma/client.ts';
import { assertCanSeeQuote } from '../quotes.ts';
import { quoteAnalysis } from './QuoteAnalysis.ts';

export const Quote = {
  __resolveReference: async ({ id }: { id: string }, ctx: MesContext) => {
    const quote = await ctx.loaders.quote.load(id);
    return quote ? assertCanSeeQuote(quote, ctx) : null;
  },
  price: (quote: QuoteRow) => (quote.amount === null ? null : { amount: quote.amount.toFixed(2), currency: quote.currency }),
  analysis: (quote: QuoteRow) =>
    quote.volumeMm3 === null || quote.geometryHash === null
      ? null
      : quoteAnalysis({
          volumeMm3: quote.volumeMm3,
          surfaceAreaMm2: quote.surfaceAreaMm2 ?? 0,
          triangleCount: quote.triangleCount ?? 0,
          watertight: quote.watertight ?? false,
          geometryHash: quote.geometryHash,
        }),
  model: (quote: QuoteRow) => ({ id: quote.modelId }),
  material: (quote: QuoteRow, _: unknown, { loaders }: MesContext) => loaders.material.load(quote.materialCode),
  estimatedPrintSeconds: (quote: QuoteRow) => quote.printSeconds,
  breakdown: (quote: QuoteRow) => {
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
