// The review queue, live: orders waiting for a manager's decision. One query loads the queue; one
// subscription (orderEvents AWAITING_REVIEW) adds every order placed after that, into the cache,
// without a reload, and drops every order decided meanwhile, here or by another manager. After a dropped connection it resumes with `after` = the last cursor seen; a
// cursor the feed no longer keeps (RESUME_WINDOW_EXPIRED) reloads the list and subscribes afresh.
import type { ApolloCache } from '@apollo/client';
import { useApolloClient, useFragment, useQuery, useSubscription } from '@apollo/client/react';
import { Card, ErrorMessage, FLASH_MS, Skeleton, toGatewayError, useI18n, useSession } from '@fabline/ui';
import { type QueueRowFragment, QueueRowFragmentDoc, ReviewQueueDocument, ReviewQueueEventsDocument } from '@fabline/ui/operations';
import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { needsReview, orderNumber, useTitle } from '../lib.ts';

const queueSize = 100;
const variables = { first: queueSize };

/** Adds an order to the cached queue once (the feed may repeat what the list already holds). */
function addToQueue(cache: ApolloCache, order: QueueRowFragment) {
  cache.updateQuery({ query: ReviewQueueDocument, variables }, (data) => {
    if (!data || data.ordersAwaitingReview.some((o) => o.id === order.id)) return data;
    return { ...data, ordersAwaitingReview: [...data.ordersAwaitingReview, order] };
  });
}

/** Drops a decided (or cancelled) order from the cached queue. */
function dropFromQueue(cache: ApolloCache, id: string) {
  cache.updateQuery({ query: ReviewQueueDocument, variables }, (data) => {
    if (!data?.ordersAwaitingReview.some((o) => o.id === id)) return data;
    return { ...data, ordersAwaitingReview: data.ordersAwaitingReview.filter((o) => o.id !== id) };
  });
}

function QueueRow({ id, fresh }: { id: string; fresh: boolean }) {
  const { t, money, dateTime } = useI18n();
  // the row reads its order from the cache: a decision anywhere in the app changes it here too
  const { data, complete } = useFragment({ fragment: QueueRowFragmentDoc, from: { __typename: 'Order', id } });
  if (!complete) return null;
  return (
    <tr className={`border-b border-border ${fresh ? 'fl-flash' : ''}`} data-order-id={id}>
      <td className="py-2 pr-3">
        <Link to={`/orders/${id}`} className="text-accent underline">
          {t('queue.open', { number: orderNumber(id) })}
        </Link>
      </td>
      <td className="py-2 pr-3">{data.customer.name}</td>
      <td className="py-2 pr-3">{dateTime(data.placedAt)}</td>
      <td className="py-2 pr-3">{needsReview(data) ? <span className="rounded-sm bg-muted px-2 py-0.5 text-warning">{t('queue.needsReview')}</span> : null}</td>
      <td className="py-2 text-right tabular-nums">{money(data.total.amount, data.total.currency)}</td>
    </tr>
  );
}

export default function QueuePage() {
  const { t } = useI18n();
  const { offline } = useSession();
  const client = useApolloClient();
  const sortId = useId();
  const filterId = useId();
  useTitle('queue.title');
  const { data, loading, error, refetch } = useQuery(ReviewQueueDocument, { variables, fetchPolicy: 'cache-and-network' });
  const refetchRef = useRef(refetch);
  refetchRef.current = refetch;
  const [newestFirst, setNewestFirst] = useState(true);
  const [onlyNeedsReview, setOnlyNeedsReview] = useState(false);
  const [fresh, setFresh] = useState<ReadonlySet<string>>(new Set());
  const [announcement, setAnnouncement] = useState('');

  // the resume point: the last cursor the feed delivered, sent again after the socket comes back
  const lastCursor = useRef<string | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const wasOffline = useRef(false);
  useEffect(() => {
    if (offline) wasOffline.current = true;
    else if (wasOffline.current) {
      wasOffline.current = false;
      // with a cursor the feed sends what was missed; without one (nothing arrived yet) the list is asked again
      if (lastCursor.current) setAfter(lastCursor.current);
      else void refetchRef.current();
    }
  }, [offline]);
  // events that arrive before the list: applied once it is there
  const early = useRef<QueueRowFragment[]>([]);
  const loaded = Boolean(data);
  const { restart } = useSubscription(ReviewQueueEventsDocument, {
    variables: { after },
    onData: ({ client, data: pushed }) => {
      const event = pushed.data?.orderEvents;
      if (!event) return;
      if (event.cursor) lastCursor.current = event.cursor;
      if (event.status !== 'PLACED') {
        // decided by another manager (or cancelled): the event already gave the cached order its status
        early.current = early.current.filter((order) => order.id !== event.order.id);
        dropFromQueue(client.cache, event.order.id);
        setAnnouncement(t('queue.left', { number: orderNumber(event.order.id), status: t(`status.${event.status}`) }));
        return;
      }
      if (!client.cache.readQuery({ query: ReviewQueueDocument, variables })) early.current.push(event.order);
      else addToQueue(client.cache, event.order);
      setFresh((previous) => new Set(previous).add(event.order.id));
      setAnnouncement(t('queue.arrived', { number: orderNumber(event.order.id), name: event.order.customer.name }));
    },
    onError: (failure) => {
      if (toGatewayError(failure).code === 'RESUME_WINDOW_EXPIRED') {
        // what came after our cursor is gone: the list is reloaded, and the feed starts again from now
        lastCursor.current = null;
        void refetch();
        if (after === null) restart();
        else setAfter(null);
      }
    },
  });
  useEffect(() => {
    if (!loaded || early.current.length === 0) return;
    const pending = early.current;
    early.current = [];
    for (const order of pending) addToQueue(client.cache, order);
  }, [loaded, client]);
  useEffect(() => {
    if (fresh.size === 0) return;
    const timer = setTimeout(() => setFresh(new Set()), FLASH_MS);
    return () => clearTimeout(timer);
  }, [fresh]);

  // an order decided (here or by a mutation elsewhere in the app) leaves the queue at once
  const waiting = (data?.ordersAwaitingReview ?? []).filter((o) => o.status === 'PLACED');
  const shown = waiting.filter((o) => !onlyNeedsReview || needsReview(o));
  shown.sort((a, b) => (newestFirst ? -1 : 1) * (Date.parse(a.placedAt) - Date.parse(b.placedAt)));

  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="text-2xl font-semibold">{t('queue.title')}</h1>
        <p role="status" className="text-fg-muted" data-testid="queue-count">
          {t('queue.count', { count: waiting.length })}
        </p>
        <div className="ml-auto flex flex-wrap items-center gap-4 text-sm">
          <label htmlFor={sortId} className="flex items-center gap-2">
            {t('queue.sort')}
            <select
              id={sortId}
              value={newestFirst ? 'newest' : 'oldest'}
              onChange={(event) => setNewestFirst(event.target.value === 'newest')}
              className="rounded-md border border-border bg-surface px-2 py-1 text-fg"
            >
              <option value="newest">{t('queue.newest')}</option>
              <option value="oldest">{t('queue.oldest')}</option>
            </select>
          </label>
          <label htmlFor={filterId} className="flex items-center gap-2">
            <input id={filterId} type="checkbox" checked={onlyNeedsReview} onChange={(event) => setOnlyNeedsReview(event.target.checked)} />
            {t('queue.onlyNeedsReview')}
          </label>
        </div>
      </div>
      <p className="sr-only" aria-live="polite">
        {announcement}
      </p>
      {loading && !data ? (
        <div className="flex flex-col gap-2">
          <Skeleton className="h-10" label={t('common.loading')} />
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : error && !data ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : (
        <Card className="overflow-x-auto p-0">
          <table aria-label={t('queue.title')} className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="px-3 py-2">
                  {t('queue.order')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('queue.customer')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('queue.placedAt')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('queue.check')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('queue.total')}
                </th>
              </tr>
            </thead>
            <tbody className="[&_td:first-child]:px-3">
              {shown.map((order) => (
                <QueueRow key={order.id} id={order.id} fresh={fresh.has(order.id)} />
              ))}
            </tbody>
          </table>
          {shown.length === 0 && <p className="p-4 text-fg-muted">{onlyNeedsReview && waiting.length ? t('queue.emptyFiltered') : t('queue.empty')}</p>}
        </Card>
      )}
    </div>
  );
}
