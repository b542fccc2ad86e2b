// One printer: its queue in order (the job being printed first) with the sum of the estimated print
// times; admins edit it or retire it.
import { useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, ErrorMessage, Skeleton, useI18n, useSession } from '@fabline/ui';
import { PrinterPageDocument, RetirePrinterDocument, UpdatePrinterDocument } from '@fabline/ui/operations';
import { useEffect } from 'react';
import { Link, useParams } from 'react-router';
import { PrinterForm } from '../components/printer-form.tsx';
import { shortId } from '../lib/stages.ts';

export default function PrinterPage() {
  const { id = '' } = useParams();
  const { t, duration, number, dateTime } = useI18n();
  const { session } = useSession();
  const isAdmin = session?.viewer.role === 'ADMIN';
  const { data, loading, error, refetch } = useQuery(PrinterPageDocument, { variables: { id } });
  const [update, updated] = useMutation(UpdatePrinterDocument);
  const [retire, retired] = useMutation(RetirePrinterDocument);
  const printer = data?.printer;
  useEffect(() => {
    document.title = `${printer?.name ?? t('title.printers')} · ${t('brand')}`;
  }, [t, printer?.name]);
  if (loading && !data) return <Skeleton className="h-64" label={t('common.loading')} />;
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  if (!printer) return <ErrorMessage error={{ code: 'NOT_FOUND', message: '' }} />;
  const queue = printer.queue;
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <Link to="/printers" className="text-sm text-accent underline">
        {t('printer.back')}
      </Link>
      <header className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">{printer.name}</h1>
        <p className="text-fg-muted">
          {t(`technology.${printer.technology}`)} · {printer.materials.map((m) => m.code).join(', ')} ·{' '}
          {t('job.sizeValue', { x: number(printer.buildVolume.xMm), y: number(printer.buildVolume.yMm), z: number(printer.buildVolume.zMm) })}
        </p>
        <p role="status" className="font-semibold">
          {printer.retired ? t('printer.retired') : t(`printerStatus.${printer.status}`)}
        </p>
      </header>
      {printer.retiredAt && <Alert tone="info">{t('printer.retiredAt', { time: dateTime(printer.retiredAt) })}</Alert>}
      <Card aria-labelledby="printer-queue">
        <h2 id="printer-queue" className="mb-2 text-lg font-semibold">
          {t('printer.queue')}
        </h2>
        <p className="mb-2 text-sm">{t('printer.queueSummary', { count: queue.totalCount, time: duration(queue.estimatedPrintSeconds) })}</p>
        {queue.jobs.length === 0 ? (
          <p className="text-sm text-fg-muted">{t('printer.queueEmpty')}</p>
        ) : (
          <ol className="flex flex-col divide-y divide-border">
            {queue.jobs.map((job) => (
              <li key={job.order.id} className="flex flex-wrap items-center gap-3 py-2 text-sm">
                <span className="w-6 text-fg-muted tabular-nums">{job.position}</span>
                <Link to={`/jobs/${job.order.id}`} className="font-mono text-accent underline">
                  {shortId(job.order.id)}
                </Link>
                <span>{t(`stage.${job.stage}`)}</span>
                <span className="text-fg-muted">{job.estimatedPrintSeconds === null ? t('board.printUnknown') : duration(job.estimatedPrintSeconds)}</span>
                <span className="ml-auto text-fg-muted">{dateTime(job.assignedAt)}</span>
              </li>
            ))}
          </ol>
        )}
      </Card>
      {isAdmin && !printer.retired && (
        <Card aria-labelledby="edit-printer">
          <h2 id="edit-printer" className="mb-2 text-lg font-semibold">
            {t('printer.edit')}
          </h2>
          <PrinterForm
            printer={printer}
            materials={(data?.materials ?? []).map((m) => m.code)}
            submitLabel={t('printer.save')}
            busy={updated.loading}
            onSubmit={(input) => void update({ variables: { id: printer.id, input } }).catch(() => {})}
          />
          {updated.error && <ErrorMessage error={updated.error} />}
          <div className="mt-4 border-t border-border pt-4">
            <Button variant="danger" disabled={retired.loading} onClick={() => void retire({ variables: { id: printer.id } }).catch(() => {})}>
              {t('printer.retire')}
            </Button>
            {retired.error && <ErrorMessage error={retired.error} />}
          </div>
        </Card>
      )}
    </div>
  );
}
