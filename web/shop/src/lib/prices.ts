// What the price table shows, from the quotes of one model: per material, the unit price at each
// step of the quantity ladder and the total for the chosen quantity.
import type { QuoteDetailsFragment } from '@fabline/ui/operations';

export const ladder = [1, 5, 10, 50, 100] as const;
export type LadderKey = 'q1' | 'q5' | 'q10' | 'q50' | 'q100';
export const ladderKeys: readonly LadderKey[] = ['q1', 'q5', 'q10', 'q50', 'q100'];

/** One material's quotes, as RequestQuoteLadder answers them. */
export type MaterialQuotes = { chosen: QuoteDetailsFragment } & Record<LadderKey, QuoteDetailsFragment>;

export interface PriceCell {
  state: 'pending' | 'ready' | 'failed';
  /** Price per piece, in the quote's currency. */
  unit?: number;
  total?: number;
  currency?: string;
}

export function cellOf(quote: QuoteDetailsFragment | undefined): PriceCell {
  if (!quote || quote.status === 'PENDING') return { state: 'pending' };
  if (quote.status === 'FAILED' || !quote.price) return { state: 'failed' };
  const total = Number(quote.price.amount);
  return { state: 'ready', total, unit: total / quote.quantity, currency: quote.price.currency };
}

/** The first quote of a material still PENDING (the one to wait for), if any. */
export function firstPending(quotes: MaterialQuotes | undefined): QuoteDetailsFragment | undefined {
  if (!quotes) return undefined;
  return [quotes.chosen, ...ladderKeys.map((k) => quotes[k])].find((q) => q.status === 'PENDING');
}

/** The material whose chosen-quantity total is lowest among the ready ones. */
export function cheapest(rows: Record<string, MaterialQuotes | undefined>): string | undefined {
  let best: { code: string; total: number } | undefined;
  for (const [code, quotes] of Object.entries(rows)) {
    const cell = cellOf(quotes?.chosen);
    if (cell.state === 'ready' && cell.total !== undefined && (!best || cell.total < best.total)) best = { code, total: cell.total };
  }
  return best?.code;
}

/** The geometry analysis, from whichever quote has it. */
export function analysisOf(rows: Record<string, MaterialQuotes | undefined>) {
  for (const quotes of Object.values(rows)) {
    const found = quotes && [quotes.chosen, ...ladderKeys.map((k) => quotes[k])].find((q) => q.analysis);
    if (found?.analysis) return { analysis: found.analysis, needsReview: found.needsReview };
  }
  return undefined;
}
