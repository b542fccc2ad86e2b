// Each item of the order: the model in 3D (the viewer from @fabline/ui, loading the signed
// downloadUrl through this origin's /files proxy), its analysis, and the quote with its breakdown.
import { useFragment } from '@apollo/client/react';
import { Alert, Card, Skeleton, useI18n } from '@fabline/ui';
import { type OrderLinesFragment, OrderLinesFragmentDoc } from '@fabline/ui/operations';
import { ModelViewer, modelViewerMessages } from '@fabline/ui/viewer';
import { Suspense } from 'react';

type Line = OrderLinesFragment['items'][number];

/** The signed link as a path on this origin: the app's server proxies /files/ to the gateway, so no CORS. */
export function sameOrigin(url: string) {
  try {
    const parsed = new URL(url, globalThis.location?.href);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return url;
  }
}

function Breakdown({ line }: { line: Line }) {
  const { t, money, number } = useI18n();
  const b = line.quote.breakdown;
  if (!b) return <p className="text-sm text-fg-muted">{t('line.noBreakdown')}</p>;
  const rows: [string, string][] = [
    [t('line.material'), money(b.material.amount, b.material.currency)],
    [t('line.machineTime'), money(b.machineTime.amount, b.machineTime.currency)],
    [t('line.setup'), money(b.setup.amount, b.setup.currency)],
    [t('line.discount', { percent: number(b.discountPercent) }), `−\u00a0${money(b.discount.amount, b.discount.currency)}`],
    [t('line.minimum'), money(b.minimumSurcharge.amount, b.minimumSurcharge.currency)],
  ];
  return (
    <table className="w-full text-sm">
      <caption className="mb-1 text-left font-semibold">{t('line.breakdown')}</caption>
      <tbody>
        {rows.map(([label, value]) => (
          <tr key={label} className="border-b border-border">
            <th scope="row" className="py-1 pr-3 text-left font-normal text-fg-muted">
              {label}
            </th>
            <td className="whitespace-nowrap py-1 pl-2 text-right tabular-nums">{value}</td>
          </tr>
        ))}
        <tr>
          <th scope="row" className="py-1 pr-3 text-left">
            {t('line.total')}
          </th>
          <td className="py-1 text-right font-semibold tabular-nums">{money(line.price.amount, line.price.currency)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function LineCard({ line }: { line: Line }) {
  const { t, locale, number, bytes, duration } = useI18n();
  const analysis = line.quote.analysis;
  return (
    <Card aria-label={t('line.title', { name: line.model.filename })} className="grid gap-4 md:grid-cols-[minmax(0,3fr)_minmax(0,2fr)]">
      <div>
        <Suspense fallback={<Skeleton className="aspect-[4/3] w-full" label={t('line.loadingModel')} />}>
          <ModelViewer
            source={sameOrigin(line.model.downloadUrl)}
            format={line.model.format === 'THREE_MF' ? '3mf' : line.model.format === 'OBJ' ? 'obj' : 'stl'}
            labels={modelViewerMessages[locale]}
            locale={locale}
          />
        </Suspense>
      </div>
      <div className="flex flex-col gap-3">
        <h3 className="text-lg font-semibold">{line.model.filename}</h3>
        <p className="text-sm text-fg-muted">
          {t('line.what', { material: line.material, quantity: line.quantity })} · {bytes(line.model.sizeBytes)}
        </p>
        {analysis ? (
          <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
            <dt className="text-fg-muted">{t('line.volume')}</dt>
            <dd className="tabular-nums">{t('unit.cm3', { value: number(analysis.volumeCm3) })}</dd>
            <dt className="text-fg-muted">{t('line.surface')}</dt>
            <dd className="tabular-nums">{t('unit.cm2', { value: number(analysis.surfaceAreaCm2) })}</dd>
            <dt className="text-fg-muted">{t('line.triangles')}</dt>
            <dd className="tabular-nums">{number(analysis.triangleCount, { maximumFractionDigits: 0 })}</dd>
            <dt className="text-fg-muted">{t('line.watertight')}</dt>
            <dd>{analysis.watertight ? t('common.yes') : t('common.no')}</dd>
            {line.quote.estimatedPrintSeconds != null && (
              <>
                <dt className="text-fg-muted">{t('line.printTime')}</dt>
                <dd className="tabular-nums">{duration(line.quote.estimatedPrintSeconds)}</dd>
              </>
            )}
            <dt className="text-fg-muted">{t('line.algorithm')}</dt>
            <dd>{line.quote.algorithmVersion}</dd>
          </dl>
        ) : (
          <p className="text-sm text-fg-muted">{t('line.noAnalysis')}</p>
        )}
        {line.quote.needsReview && <Alert tone="warning">{t('line.needsReview')}</Alert>}
        <Breakdown line={line} />
      </div>
    </Card>
  );
}

export function LinesPanel({ id }: { id: string }) {
  const { t } = useI18n();
  const { data, complete } = useFragment({ fragment: OrderLinesFragmentDoc, from: { __typename: 'Order', id } });
  if (!complete) return null;
  return (
    <section aria-labelledby="lines-title" className="flex flex-col gap-3">
      <h2 id="lines-title" className="text-lg font-semibold">
        {t('order.items', { count: data.items.length })}
      </h2>
      {data.items.map((line) => (
        <LineCard key={line.id} line={line} />
      ))}
    </section>
  );
}
