// Every material's price for the chosen quantity, how the unit price falls across 1–100 pieces,
// and for each its breakdown, print time and expiry. A PENDING cell fills in when its quote is ready.
import { useI18n } from '@fabline/ui';
import { Collapsible } from 'radix-ui';
import { cellOf, cheapest, ladder, ladderKeys, type MaterialQuotes, type PriceCell } from '../lib/prices.ts';

export interface PriceTableProps {
  materials: readonly { code: string; name: string }[];
  rows: Record<string, MaterialQuotes | undefined>;
  quantity: number;
  /** Codes of rows that just changed (a short highlight). */
  changed?: ReadonlySet<string>;
}

function Amount({ cell, value }: { cell: PriceCell; value: 'unit' | 'total' }) {
  const { t, money } = useI18n();
  if (cell.state === 'pending') return <span className="text-fg-muted">{t('price.pending')}</span>;
  if (cell.state === 'failed') return <span className="text-danger">{t('price.failed')}</span>;
  return <>{money(cell[value] ?? 0, cell.currency ?? 'EUR')}</>;
}

function Breakdown({ name, quotes }: { name: string; quotes: MaterialQuotes }) {
  const { t, money } = useI18n();
  const { breakdown, price } = quotes.chosen;
  if (!breakdown || !price) return null;
  const parts = [
    [t('price.part.material'), breakdown.material.amount],
    [t('price.part.machineTime'), breakdown.machineTime.amount],
    [t('price.part.setup'), breakdown.setup.amount],
    [t('price.part.discount', { percent: breakdown.discountPercent }), `-${Math.abs(Number(breakdown.discount.amount))}`],
  ] as const;
  return (
    <Collapsible.Root>
      <Collapsible.Trigger className="text-sm text-accent underline" aria-label={t('price.breakdownOf', { material: name })}>
        {t('price.breakdown')}
      </Collapsible.Trigger>
      <Collapsible.Content>
        <dl className="mt-1 grid grid-cols-[auto_auto] gap-x-3 text-xs">
          {parts.map(([label, amount]) => (
            <div key={label} className="contents">
              <dt className="text-fg-muted">{label}</dt>
              <dd className="text-right tabular-nums">{money(amount, price.currency)}</dd>
            </div>
          ))}
        </dl>
      </Collapsible.Content>
    </Collapsible.Root>
  );
}

export function PriceTable({ materials, rows, quantity, changed }: PriceTableProps) {
  const { t, dateTime, duration } = useI18n();
  const best = cheapest(rows);
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable by keyboard
    <section className="overflow-x-auto" tabIndex={0} aria-label={t('price.caption', { quantity })}>
      <table className="w-full border-collapse text-sm">
        <caption className="sr-only">{t('price.caption', { quantity })}</caption>
        <thead>
          <tr className="border-b border-border text-left">
            <th scope="col" className="py-2 pr-3">
              {t('price.material')}
            </th>
            <th scope="col" className="py-2 pr-3 text-right text-base">
              {t('price.total', { quantity })}
            </th>
            {ladder.map((q) => (
              <th key={q} scope="col" className="py-2 pr-3 text-right font-normal text-fg-muted">
                {t('price.unitAt', { quantity: q })}
              </th>
            ))}
            <th scope="col" className="py-2 pr-3">
              {t('price.printTime')}
            </th>
            <th scope="col" className="py-2 pr-3">
              {t('price.expires')}
            </th>
            <th scope="col" className="py-2">
              {t('price.breakdown')}
            </th>
          </tr>
        </thead>
        <tbody>
          {materials.map((material) => {
            const quotes = rows[material.code];
            const chosen = cellOf(quotes?.chosen);
            return (
              <tr key={material.code} className={`border-b border-border align-top ${changed?.has(material.code) ? 'fl-flash' : ''}`}>
                <th scope="row" className="py-3 pr-3 text-left">
                  <span className="font-semibold">{material.name}</span>
                  {best === material.code && <span className="ml-2 rounded-sm bg-muted px-1.5 py-0.5 text-xs">{t('price.cheapest')}</span>}
                  {quotes?.chosen.cached && <span className="block text-xs font-normal text-fg-muted">{t('price.cached')}</span>}
                  {quotes?.chosen.needsReview && <span className="block text-xs font-normal text-warning">{t('price.needsReview')}</span>}
                </th>
                <td className="py-3 pr-3 text-right text-lg font-semibold tabular-nums">
                  <Amount cell={chosen} value="total" />
                </td>
                {ladderKeys.map((key) => (
                  <td key={key} className="py-3 pr-3 text-right tabular-nums">
                    <Amount cell={cellOf(quotes?.[key])} value="unit" />
                  </td>
                ))}
                <td className="py-3 pr-3">{quotes?.chosen.estimatedPrintSeconds ? duration(quotes.chosen.estimatedPrintSeconds) : '—'}</td>
                <td className="py-3 pr-3">{quotes && chosen.state === 'ready' ? dateTime(quotes.chosen.expiresAt) : '—'}</td>
                <td className="py-3">{quotes && chosen.state === 'ready' && <Breakdown name={material.name} quotes={quotes} />}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
