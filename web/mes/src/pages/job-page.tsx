// One job as the shop floor sees it: the stage and Advance context, each line's model in 3D (the
// lazy viewer from @fabline/ui, fed the signed downloadUrl through this origin's /files proxy), its
// measured size, the analysis and needs-review flag, the order's history, and the staff's notes.
import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { Alert, Button, Card, ErrorMessage, Skeleton, toGatewayError, useI18n } from '@fabline/ui';
import { AddJobNoteDocument, AssignPrinterDocument, JobPageDocument, type JobPageQuery, type PrinterSummaryFragment } from '@fabline/ui/operations';
import { ModelViewer, modelViewerMessages, type Vec3 } from '@fabline/ui/viewer';
import { type FormEvent, Suspense, useEffect, useId, useState } from 'react';
import { Link, useParams } from 'react-router';
import { fitsIn, printSeconds, shortId, stageOf } from '../lib/stages.ts';

type Line = NonNullable<JobPageQuery['order']>['items'][number];

/** The download link on this app's origin: its server proxies /files/ to the gateway (no CORS). */
export function sameOrigin(url: string) {
  try {
    const parsed = new URL(url, globalThis.location.href);
    return parsed.pathname.startsWith('/files/') ? `${parsed.pathname}${parsed.search}` : url;
  } catch {
    return url;
  }
}

/** Whether the line's part fits the printer, as a sentence (null while either size is unknown). */
function FitSentence({ line, printer }: { line: Line; printer: PrinterSummaryFragment | null }) {
  const { t, number } = useI18n();
  const box = line.quote.analysis?.boundingBox;
  if (!box || !printer) return null;
  const values = { name: printer.name, x: number(printer.buildVolume.xMm), y: number(printer.buildVolume.yMm), z: number(printer.buildVolume.zMm) };
  return fitsIn(box, printer.buildVolume) ? (
    <p className="text-sm text-success">{t('job.fits', values)}</p>
  ) : (
    <p className="text-sm text-danger">{t('job.tooLarge', values)}</p>
  );
}

function LineCard({ line, printer }: { line: Line; printer: PrinterSummaryFragment | null }) {
  const { t, locale, number, bytes, duration } = useI18n();
  const [size, setSize] = useState<Vec3 | null>(null);
  const headingId = useId();
  const analysis = line.quote.analysis;
  return (
    <Card aria-labelledby={headingId} className="flex flex-col gap-3">
      <h2 id={headingId} className="text-lg font-semibold">
        {t('job.model', { name: line.model.filename })} · {t('board.line', { material: line.material, quantity: line.quantity })}
      </h2>
      {line.quote.needsReview && <Alert tone="warning">{t('job.needsReview')}</Alert>}
      <div className="grid gap-4 md:grid-cols-2">
        <Suspense fallback={<Skeleton className="aspect-[4/3]" label={t('common.loading')} />}>
          <ModelViewer
            source={sameOrigin(line.model.downloadUrl)}
            labels={modelViewerMessages[locale]}
            locale={locale}
            onMeasured={setSize}
            className="aspect-[4/3]"
          />
        </Suspense>
        <dl className="grid grid-cols-2 content-start gap-x-4 gap-y-1 text-sm">
          <dt className="text-fg-muted">{t('job.size')}</dt>
          <dd>
            {analysis?.boundingBox
              ? t('job.sizeValue', { x: number(analysis.boundingBox.xMm), y: number(analysis.boundingBox.yMm), z: number(analysis.boundingBox.zMm) })
              : size
                ? t('job.sizeValue', { x: number(size.x), y: number(size.y), z: number(size.z) })
                : '…'}
          </dd>
          <dd className="col-span-2">
            <FitSentence line={line} printer={printer} />
          </dd>
          <dt className="text-fg-muted">{t('job.printTime')}</dt>
          <dd>{line.quote.estimatedPrintSeconds === null ? '—' : duration(line.quote.estimatedPrintSeconds)}</dd>
          {analysis ? (
            <>
              <dt className="text-fg-muted">{t('job.volume')}</dt>
              <dd>{t('job.volumeValue', { value: number(analysis.volumeCm3, { maximumFractionDigits: 1 }) })}</dd>
              <dt className="text-fg-muted">{t('job.surface')}</dt>
              <dd>{t('job.surfaceValue', { value: number(analysis.surfaceAreaCm2, { maximumFractionDigits: 1 }) })}</dd>
              <dt className="text-fg-muted">{t('job.triangles')}</dt>
              <dd>{number(analysis.triangleCount)}</dd>
              <dt className="text-fg-muted">{t('job.watertight')}</dt>
              <dd>{analysis.watertight ? t('job.yes') : t('job.no')}</dd>
            </>
          ) : (
            <dd className="col-span-2 text-fg-muted">{t('job.notAnalysed')}</dd>
          )}
          <dt className="text-fg-muted">{bytes(line.model.sizeBytes)}</dt>
          <dd>
            <a href={line.model.downloadUrl} download={line.model.filename} className="text-accent underline">
              {t('job.download', { name: line.model.filename })}
            </a>
          </dd>
        </dl>
      </div>
    </Card>
  );
}

type Job = NonNullable<JobPageQuery['order']>;

/** Puts the job on a printer's queue; the gateway's refusal (material, build volume, retired) is shown as it says it. */
function AssignPanel({ order, printers }: { order: Job; printers: readonly PrinterSummaryFragment[] }) {
  const { t } = useI18n();
  const current = order.production?.printer ?? null;
  const needed = [...new Set(order.items.map((item) => item.material))];
  const candidates = printers.filter((printer) => !printer.retired && needed.every((code) => printer.materials.some((m) => m.code === code)));
  const [chosen, setChosen] = useState(current?.id ?? '');
  const client = useApolloClient();
  const [assign, { loading, error, data, reset }] = useMutation(AssignPrinterDocument, {
    refetchQueries: [JobPageDocument],
    // refused because the job moved meanwhile: show it as it is now
    onError: (failure) => {
      if (toGatewayError(failure).code === 'CONFLICT') void client.refetchQueries({ include: [JobPageDocument] });
    },
  });
  const selected = printers.find((printer) => printer.id === chosen) ?? null;
  const queued = stageOf(order) === 'QUEUED';
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!chosen) return;
    void assign({ variables: { orderId: order.id, printerId: chosen } }).catch(() => {});
  };
  return (
    <Card aria-labelledby="job-assign">
      <h2 id="job-assign" className="mb-2 text-lg font-semibold">
        {t('assign.title')}
      </h2>
      <p className="mb-2 text-sm">{current ? t('assign.current', { name: current.name }) : t('assign.unassigned')}</p>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <label className="flex flex-col gap-1 text-sm font-medium">
          {t('assign.printer')}
          <select
            value={chosen}
            onChange={(event) => {
              setChosen(event.target.value);
              reset();
            }}
            className="rounded-md border border-border bg-surface px-2 py-2 text-fg"
          >
            <option value="">{t('assign.choose')}</option>
            {candidates.map((printer) => (
              <option key={printer.id} value={printer.id}>
                {printer.name}
              </option>
            ))}
          </select>
        </label>
        <Button type="submit" disabled={loading || !chosen || !queued}>
          {t('assign.button')}
        </Button>
      </form>
      <div className="mt-2 flex flex-col gap-2">
        {!queued && <p className="text-sm text-fg-muted">{t('assign.onlyQueued')}</p>}
        {order.items.map((line) => (
          <FitSentence key={line.id} line={line} printer={selected} />
        ))}
        {error && (toGatewayError(error).code === 'CONFLICT' ? <Alert>{t('assign.conflict')}</Alert> : <ErrorMessage error={error} />)}
        {data && !error && selected && <Alert tone="info">{t('assign.done', { name: selected.name })}</Alert>}
      </div>
    </Card>
  );
}

function Notes({ orderId, notes }: { orderId: string; notes: NonNullable<NonNullable<JobPageQuery['order']>['review']>['notes'] }) {
  const { t, dateTime } = useI18n();
  const [add, { loading, error }] = useMutation(AddJobNoteDocument, {
    update(cache, { data }) {
      const note = data?.addOrderNote;
      if (!note) return;
      cache.updateQuery({ query: JobPageDocument, variables: { id: orderId } }, (page) =>
        page?.order?.review ? { ...page, order: { ...page.order, review: { ...page.order.review, notes: [...page.order.review.notes, note] } } } : page,
      );
    },
  });
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const body = String(new FormData(form).get('note') ?? '').trim();
    if (!body) return;
    const result = await add({ variables: { orderId, body } }).catch(() => null);
    if (result?.data) form.reset();
  };
  return (
    <Card aria-labelledby="job-notes">
      <h2 id="job-notes" className="mb-2 text-lg font-semibold">
        {t('job.notes')}
      </h2>
      {notes.length === 0 ? (
        <p className="text-sm text-fg-muted">{t('job.noNotes')}</p>
      ) : (
        <ul className="mb-3 flex flex-col gap-2">
          {notes.map((note) => (
            <li key={note.id} className="text-sm">
              <p>{note.body}</p>
              <p className="text-xs text-fg-muted">{t('job.noteBy', { name: note.author.name, time: dateTime(note.createdAt) })}</p>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={submit} className="flex flex-col gap-2">
        <label htmlFor="job-note" className="text-sm font-medium">
          {t('job.note')}
        </label>
        <textarea id="job-note" name="note" rows={2} required className="rounded-md border border-border bg-surface px-2 py-1 text-fg" />
        {error && <ErrorMessage error={error} />}
        <Button type="submit" variant="secondary" disabled={loading} className="self-start">
          {t('job.addNote')}
        </Button>
      </form>
    </Card>
  );
}

export default function JobPage() {
  const { id = '' } = useParams();
  const { t, dateTime, duration } = useI18n();
  const { data, loading, error, refetch } = useQuery(JobPageDocument, { variables: { id } });
  useEffect(() => {
    document.title = `${t('title.job', { number: shortId(id) })} · ${t('brand')}`;
  }, [t, id]);
  if (loading && !data)
    return (
      <div className="flex flex-col gap-4">
        <Skeleton className="h-8 w-1/3" label={t('common.loading')} />
        <Skeleton className="h-64" />
      </div>
    );
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  const order = data?.order;
  if (!order) return <ErrorMessage error={{ code: 'NOT_FOUND', message: '' }} />;
  const stage = stageOf(order);
  const seconds = printSeconds(order);
  return (
    <div className="mx-auto flex max-w-6xl flex-col gap-4">
      <Link to="/" className="text-sm text-accent underline">
        {t('job.back')}
      </Link>
      <header className="flex flex-wrap items-baseline gap-4">
        <h1 className="font-mono text-2xl font-semibold">{t('title.job', { number: shortId(order.id) })}</h1>
        <p className="text-fg-muted">{t('job.customer', { name: order.customer.name })}</p>
      </header>
      <Card>
        <dl className="flex flex-wrap gap-x-8 gap-y-2">
          <div>
            <dt className="text-sm text-fg-muted">{t('job.stage')}</dt>
            <dd className="text-xl font-semibold">{stage ? t(`stage.${stage}`) : '—'}</dd>
          </div>
          <div>
            <dt className="text-sm text-fg-muted">{t('job.status')}</dt>
            <dd className="text-xl">{t(`status.${order.status}`)}</dd>
          </div>
          <div>
            <dt className="text-sm text-fg-muted">{t('job.printTime')}</dt>
            <dd className="text-xl">{seconds === null ? '—' : duration(seconds)}</dd>
          </div>
        </dl>
      </Card>
      <AssignPanel order={order} printers={data?.printers ?? []} />
      {order.items.map((line) => (
        <LineCard key={line.id} line={line} printer={order.production?.printer ?? null} />
      ))}
      <div className="grid gap-4 md:grid-cols-2">
        <Card aria-labelledby="job-history">
          <h2 id="job-history" className="mb-2 text-lg font-semibold">
            {t('job.history')}
          </h2>
          <ol className="flex flex-col gap-2 border-l-2 border-border pl-4">
            {order.statusHistory.map((change) => (
              <li key={change.id}>
                <span className="font-medium">{t(`status.${change.status}`)}</span> <span className="text-sm text-fg-muted">{dateTime(change.at)}</span>
              </li>
            ))}
          </ol>
        </Card>
        <Notes orderId={order.id} notes={order.review?.notes ?? []} />
      </div>
    </div>
  );
}
