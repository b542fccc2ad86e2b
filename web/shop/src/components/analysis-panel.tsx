import { Alert, useI18n } from '@fabline/ui';
import type { QuoteDetailsFragment } from '@fabline/ui/operations';
import type { Vec3 } from '@fabline/ui/viewer';

export function AnalysisPanel({ analysis, size }: { analysis: NonNullable<QuoteDetailsFragment['analysis']> | undefined; size?: Vec3 }) {
  const { t, number } = useI18n();
  if (!analysis) return <p className="text-fg-muted">{t('analysis.pending')}</p>;
  const mm = (value: number) => number(value, { maximumFractionDigits: 1 });
  const rows = [
    ...(size ? ([[t('analysis.size'), t('unit.sizeMm', { x: mm(size.x), y: mm(size.y), z: mm(size.z) })]] as const) : []),
    [t('analysis.volume'), t('unit.cm3', { value: number(analysis.volumeCm3) })],
    [t('analysis.surface'), t('unit.cm2', { value: number(analysis.surfaceAreaCm2) })],
    [t('analysis.triangles'), number(analysis.triangleCount, { maximumFractionDigits: 0 })],
    [t('analysis.watertight'), analysis.watertight ? t('analysis.yes') : t('analysis.no')],
  ] as const;
  return (
    <div className="flex flex-col gap-3">
      <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm">
        {rows.map(([label, value]) => (
          <div key={label} className="contents">
            <dt className="text-fg-muted">{label}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      {!analysis.watertight && <Alert tone="warning">{t('analysis.notWatertight')}</Alert>}
    </div>
  );
}
