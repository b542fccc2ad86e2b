// The printers: each with its technology, materials, build volume, status and the size and summed
// print time of its queue; admins add printers here.
import { useMutation, useQuery } from '@apollo/client/react';
import { Card, ErrorMessage, Skeleton, useI18n, useSession } from '@fabline/ui';
import { CreatePrinterDocument, PrintersPageDocument } from '@fabline/ui/operations';
import { useEffect } from 'react';
import { Link } from 'react-router';
import { PrinterForm } from '../components/printer-form.tsx';

export default function PrintersPage() {
  const { t, duration, number } = useI18n();
  const { session } = useSession();
  const isAdmin = session?.viewer.role === 'ADMIN';
  const { data, loading, error, refetch } = useQuery(PrintersPageDocument);
  const [create, created] = useMutation(CreatePrinterDocument, { refetchQueries: [PrintersPageDocument] });
  useEffect(() => {
    document.title = `${t('title.printers')} · ${t('brand')}`;
  }, [t]);
  if (loading && !data) return <Skeleton className="h-64" label={t('common.loading')} />;
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  const printers = data?.printers ?? [];
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title.printers')}</h1>
      {printers.length === 0 ? (
        <p className="text-fg-muted">{t('printers.empty')}</p>
      ) : (
        <table className="w-full text-left text-sm">
          <caption className="sr-only">{t('title.printers')}</caption>
          <thead className="border-b border-border text-fg-muted">
            <tr>
              <th className="py-2 pr-3 font-medium">{t('printer.name')}</th>
              <th className="py-2 pr-3 font-medium">{t('printer.technology')}</th>
              <th className="py-2 pr-3 font-medium">{t('printer.materials')}</th>
              <th className="py-2 pr-3 font-medium">{t('printer.buildVolume')}</th>
              <th className="py-2 pr-3 font-medium">{t('printer.status')}</th>
              <th className="py-2 pr-3 font-medium">{t('printer.queue')}</th>
            </tr>
          </thead>
          <tbody>
            {printers.map((printer) => (
              <tr key={printer.id} className="border-b border-border">
                <td className="py-2 pr-3">
                  <Link to={`/printers/${printer.id}`} className="text-accent underline">
                    {printer.name}
                  </Link>
                </td>
                <td className="py-2 pr-3">{t(`technology.${printer.technology}`)}</td>
                <td className="py-2 pr-3">{printer.materials.map((m) => m.code).join(', ')}</td>
                <td className="py-2 pr-3 tabular-nums">
                  {t('job.sizeValue', { x: number(printer.buildVolume.xMm), y: number(printer.buildVolume.yMm), z: number(printer.buildVolume.zMm) })}
                </td>
                <td className="py-2 pr-3">{printer.retired ? t('printer.retired') : t(`printerStatus.${printer.status}`)}</td>
                <td className="py-2 pr-3 tabular-nums">
                  {t('printer.queueSummary', { count: printer.queue.totalCount, time: duration(printer.queue.estimatedPrintSeconds) })}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {isAdmin && (
        <Card aria-labelledby="add-printer">
          <h2 id="add-printer" className="mb-2 text-lg font-semibold">
            {t('printers.add')}
          </h2>
          <PrinterForm
            materials={(data?.materials ?? []).map((m) => m.code)}
            submitLabel={t('printers.add')}
            busy={created.loading}
            onSubmit={(input, form) =>
              void create({ variables: { input } })
                .then(() => form.reset())
                .catch(() => {})
            }
          />
          {created.error && <ErrorMessage error={created.error} />}
        </Card>
      )}
    </div>
  );
}
