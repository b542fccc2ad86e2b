// One order, live: its status (a word in role=status), the history timeline, review and production,
// its parts with a download of the own model, and "Cancel order" while that is allowed. One
// subscription (orderStatusChanged, resumed with `after`) keeps the cache, and so every view of
// this order, current without a reload or a refetch.
import type { ApolloCache, Reference } from '@apollo/client';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, useFlash, useI18n } from '@fabline/ui';
import { CancelOrderDocument, OrderDocument, OrderStatusChangedDocument, type OrderStatusChangedSubscription } from '@fabline/ui/operations';
import { useEffect, useRef } from 'react';
import { useParams } from 'react-router';
import { mergeHistory, resumeAfter, type StatusChange } from '../lib/timeline.ts';
import { orderNumber } from './orders-page.tsx';

const cancellable = new Set(['PLACED', 'APPROVED']);

/** Adds a pushed change to the order's cached history (once, in order). */
function recordChange(cache: ApolloCache, orderId: string, event: OrderStatusChangedSubscription['orderStatusChanged']) {
  const change: StatusChange = {
    __typename: 'OrderStatusChange',
    id: event.id,
    previousStatus: event.previousStatus ?? null,
    status: event.status,
    at: event.at,
  };
  cache.modify<{ statusHistory: StatusChange[] }>({
    id: cache.identify({ __typename: 'Order', id: orderId }),
    fields: {
      statusHistory: (existing: readonly (StatusChange | Reference)[] = []) => mergeHistory(existing as StatusChange[], [change]) as never,
    },
  });
}

export default function OrderPage() {
  const { id = '' } = useParams();
  const { t, money, dateTime, bytes } = useI18n();
  const { data, loading, error, refetch } = useQuery(OrderDocument, { variables: { id } });
  const [cancel, cancelState] = useMutation(CancelOrderDocument);
  const order = data?.order;
  // the resume point is fixed once the history is known; a reconnect re-sends it, and mergeHistory drops what repeats
  const after = useRef<string | undefined>(undefined);
  if (order && after.current === undefined) after.current = resumeAfter(order.statusHistory) ?? '';
  const [flash, startFlash] = useFlash();
  useSubscription(OrderStatusChangedDocument, {
    skip: !order,
    variables: { orderId: id, after: after.current || null },
    onData: ({ client, data: pushed }) => {
      const event = pushed.data?.orderStatusChanged;
      if (!event) return;
      recordChange(client.cache, id, event);
      startFlash();
    },
  });
  useEffect(() => {
    document.title = `${t('title.order', { number: orderNumber(id) })} · Fabline`;
  }, [t, id]);

  if (loading && !data)
    return (
      <div className="flex flex-col gap-4">
        <Skeleton className="h-8 w-1/3" label={t('common.loading')} />
        <Skeleton className="h-32" />
      </div>
    );
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  if (!order) return <ErrorMessage error={{ code: 'NOT_FOUND', message: '' }} />;

  const review = order.review;
  return (
    <div className="flex flex-col gap-6">
      <header className="flex flex-wrap items-baseline gap-4">
        <h1 className="text-3xl font-semibold">{t('title.order', { number: orderNumber(order.id) })}</h1>
        <p className="text-fg-muted">{dateTime(order.placedAt)}</p>
      </header>
      <Card className={flash ? 'fl-flash' : ''}>
        <div className="flex flex-wrap items-center gap-4">
          <span className="text-sm text-fg-muted">{t('order.status')}</span>
          <p role="status" className="text-2xl font-semibold">
            {t(`status.${order.status}`)}
          </p>
          <span className="ml-auto text-2xl tabular-nums">{money(order.total.amount, order.total.currency)}</span>
          {cancellable.has(order.status) && (
            <Button variant="danger" disabled={cancelState.loading} onClick={() => void cancel({ variables: { id: order.id } }).catch(() => {})}>
              {t('order.cancel')}
            </Button>
          )}
        </div>
        <p className="mt-1 text-xs text-fg-muted">{t('order.live')}</p>
        {cancelState.error && <ErrorMessage error={cancelState.error} />}
      </Card>
      <div className="grid gap-4 md:grid-cols-2">
        <Card aria-labelledby="order-review">
          <h2 id="order-review" className="mb-2 text-lg font-semibold">
            {t('order.review')}
          </h2>
          <p>
            {review?.decision === 'APPROVED'
              ? t('order.reviewApproved')
              : review?.decision === 'REJECTED'
                ? t('order.reviewRejected', { reason: review.reason ?? '' })
                : review?.decision === 'CANCELLED'
                  ? t('order.reviewCancelled')
                  : t('order.reviewPending')}
          </p>
          {order.production && (
            <>
              <h2 className="mt-4 mb-2 text-lg font-semibold">{t('order.production')}</h2>
              <p>{t('order.stage', { stage: t(`stage.${order.production.stage}`) })}</p>
            </>
          )}
        </Card>
        <Card aria-labelledby="order-timeline">
          <h2 id="order-timeline" className="mb-2 text-lg font-semibold">
            {t('order.timeline')}
          </h2>
          <ol className="flex flex-col gap-2 border-l-2 border-border pl-4">
            {order.statusHistory.map((change) => (
              <li key={change.id}>
                <span className="font-medium">{t(`status.${change.status}`)}</span> <span className="text-sm text-fg-muted">{dateTime(change.at)}</span>
              </li>
            ))}
          </ol>
        </Card>
      </div>
      <Card aria-labelledby="order-items">
        <h2 id="order-items" className="mb-2 text-lg font-semibold">
          {t('order.items')}
        </h2>
        <ul className="flex flex-col divide-y divide-border">
          {order.items.map((item) => (
            <li key={item.id} className="flex flex-wrap items-center gap-3 py-2">
              <span>{t('cart.item', { name: item.model.filename, material: item.material, quantity: item.quantity })}</span>
              <span className="text-sm text-fg-muted">{bytes(item.model.sizeBytes)}</span>
              <a href={item.model.downloadUrl} download={item.model.filename} className="text-accent underline">
                {t('order.download', { name: item.model.filename })}
              </a>
              <span className="ml-auto tabular-nums">{money(item.price.amount, item.price.currency)}</span>
            </li>
          ))}
        </ul>
      </Card>
    </div>
  );
}
