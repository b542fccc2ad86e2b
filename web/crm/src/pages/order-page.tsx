// One order as a manager reviews it. One query (ReviewOrder) built from the fragments of the panels,
// which read their part with useFragment; the decision and notes update the cache from their answers,
// and one subscription (orderStatusChanged, resumed with `after`) from changes made anywhere else (another
// manager's decision, production): its events carry the panels' fragments, so the cache, not a refetch,
// moves the page.
import { useQuery, useSubscription } from '@apollo/client/react';
import { ErrorMessage, Skeleton, useFlash, useI18n } from '@fabline/ui';
import { ReviewOrderDocument, ReviewOrderEventsDocument } from '@fabline/ui/operations';
import { useRef, useState } from 'react';
import { Link, useParams } from 'react-router';
import { CustomerPanel } from '../components/customer-panel.tsx';
import { DecisionPanel } from '../components/decision-panel.tsx';
import { HistoryPanel } from '../components/history-panel.tsx';
import { LinesPanel } from '../components/lines-panel.tsx';
import { NotesPanel } from '../components/notes-panel.tsx';
import { orderNumber, useTitle } from '../lib.ts';

export default function OrderPage() {
  const { id = '' } = useParams();
  const { t, dateTime } = useI18n();
  useTitle('title.order', { number: orderNumber(id) });
  const { data, loading, error, refetch } = useQuery(ReviewOrderDocument, { variables: { id }, fetchPolicy: 'cache-and-network' });
  const order = data?.order;
  // the resume point: the last status change the page loaded with (a replayed event only rewrites the same fields)
  const after = useRef<string | undefined>(undefined);
  if (order && after.current === undefined) after.current = order.statusHistory.at(-1)?.id ?? '';
  const [announcement, setAnnouncement] = useState('');
  const [flash, startFlash] = useFlash();
  useSubscription(ReviewOrderEventsDocument, {
    skip: !order,
    variables: { orderId: id, after: after.current || null },
    onData: ({ data: pushed }) => {
      const event = pushed.data?.orderStatusChanged;
      if (!event) return;
      setAnnouncement(t('order.live', { status: t(`status.${event.status}`) }));
      startFlash();
    },
  });
  if (loading && !data)
    return (
      <div className="flex flex-col gap-4">
        <Skeleton className="h-8 w-1/3" label={t('common.loading')} />
        <Skeleton className="h-32" />
        <Skeleton className="h-64" />
      </div>
    );
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  if (!order) return <ErrorMessage error={{ code: 'NOT_FOUND', message: '' }} />;
  return (
    <div className="flex flex-col gap-4">
      <nav aria-label={t('order.breadcrumb')} className="text-sm">
        <Link to="/" className="text-accent underline">
          {t('queue.title')}
        </Link>
      </nav>
      <header className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-2xl font-semibold">{t('title.order', { number: orderNumber(order.id) })}</h1>
        <p className="text-fg-muted">{t('order.placed', { at: dateTime(order.placedAt) })}</p>
      </header>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <div className="flex flex-col gap-4">
          <p className="sr-only" aria-live="polite">
            {announcement}
          </p>
          <div className={flash ? 'fl-flash rounded-lg' : ''}>
            <DecisionPanel id={order.id} onConflict={() => void refetch()} />
          </div>
          <LinesPanel id={order.id} />
        </div>
        <div className="flex flex-col gap-4">
          <CustomerPanel id={order.id} />
          <NotesPanel id={order.id} />
          <HistoryPanel id={order.id} />
        </div>
      </div>
    </div>
  );
}
