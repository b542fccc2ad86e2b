// The price table's own logic: every material for the chosen quantity, the unit price at each step
// of the ladder, a PENDING cell that fills in when its quote is ready, the cheapest marked.
import { I18nProvider } from '@fabline/ui';
import type { QuoteDetailsFragment } from '@fabline/ui/operations';
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { PriceTable } from '../src/components/price-table.tsx';
import type { MaterialQuotes } from '../src/lib/prices.ts';
import { ru } from '../src/messages.ru.ts';
import { en } from '../src/messages.ts';

const materials = [
  { code: 'PLA', name: 'PLA' },
  { code: 'PETG', name: 'PETG' },
];

function quote(quantity: number, amount: string | null, status: 'READY' | 'PENDING' = 'READY'): QuoteDetailsFragment {
  return {
    __typename: 'Quote',
    id: `q-${quantity}-${amount}`,
    status,
    price: amount === null ? null : { __typename: 'Money', amount, currency: 'EUR' },
    cached: false,
    needsReview: false,
    failureReason: null,
    failureCode: null,
    quantity,
    estimatedPrintSeconds: 3600 + 1380,
    expiresAt: '2026-12-07T10:00:00.000Z',
    breakdown: null,
    analysis: null,
  };
}

function ladderOf(unitPrices: [number, number, number, number, number], chosenQuantity: number, chosenTotal: string | null): MaterialQuotes {
  const [p1, p5, p10, p50, p100] = unitPrices;
  return {
    chosen: quote(chosenQuantity, chosenTotal, chosenTotal === null ? 'PENDING' : 'READY'),
    q1: quote(1, (p1 * 1).toFixed(2)),
    q5: quote(5, (p5 * 5).toFixed(2)),
    q10: quote(10, (p10 * 10).toFixed(2)),
    q50: quote(50, (p50 * 50).toFixed(2)),
    q100: quote(100, (p100 * 100).toFixed(2)),
  };
}

const renderTable = (rows: Record<string, MaterialQuotes | undefined>, quantity = 2, locale: 'en' | 'ru' = 'en') =>
  render(
    <I18nProvider catalogues={{ en, ru }} initialLocale={locale}>
      <PriceTable materials={materials} rows={rows} quantity={quantity} />
    </I18nProvider>,
  );

afterEach(cleanup);

describe('PriceTable', () => {
  it('shows each material with its total for the chosen quantity and its unit price across 1–100 pieces', () => {
    renderTable({ PLA: ladderOf([9, 3, 2, 1.5, 1.2], 2, '12.00'), PETG: ladderOf([11, 4, 3, 2, 1.6], 2, '15.00') });
    const pla = within(screen.getByRole('row', { name: /^PLA/ }));
    const cells = pla.getAllByRole('cell').map((cell) => cell.textContent);
    expect(cells.slice(0, 6)).toEqual(['€12.00', '€9.00', '€3.00', '€2.00', '€1.50', '€1.20']);
    expect(cells[6]).toBe('1 hr 23 min');
    expect(screen.getByRole('columnheader', { name: 'Total ×2' })).toBeTruthy();
    // the lower total is marked, once
    expect(within(screen.getByRole('row', { name: /^PLA/ })).getByText('Lowest price')).toBeTruthy();
    expect(screen.getAllByText('Lowest price')).toHaveLength(1);
  });

  it('says a pending quote is being calculated, and fills it in when the quote arrives', () => {
    const view = renderTable({ PLA: ladderOf([9, 3, 2, 1.5, 1.2], 2, null), PETG: undefined });
    expect(within(screen.getByRole('row', { name: /^PLA/ })).getAllByRole('cell')[0]?.textContent).toBe('Calculating…');
    // a material not asked yet is pending in every column
    expect(within(screen.getByRole('row', { name: /^PETG/ })).getAllByText('Calculating…')).toHaveLength(6);
    view.rerender(
      <I18nProvider catalogues={{ en, ru }} initialLocale="en">
        <PriceTable materials={materials} rows={{ PLA: ladderOf([9, 3, 2, 1.5, 1.2], 2, '12.00') }} quantity={2} />
      </I18nProvider>,
    );
    expect(within(screen.getByRole('row', { name: /^PLA/ })).getAllByRole('cell')[0]?.textContent).toBe('€12.00');
  });

  it('formats money in Russian with Intl', async () => {
    renderTable({ PLA: ladderOf([9, 3, 2, 1.5, 1.2], 2, '12.00') }, 2, 'ru');
    // the shared Russian messages load when Russian is chosen
    await screen.findByRole('columnheader', { name: 'Итого ×2' });
    const first = within(screen.getByRole('row', { name: /^PLA/ })).getAllByRole('cell')[0]?.textContent;
    expect(first?.replace(/\s/g, ' ')).toBe('12,00 €');
  });
});
