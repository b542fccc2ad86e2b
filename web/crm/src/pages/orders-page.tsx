// Every customer's orders for staff, filtered (status, models that need a check) and sorted on the
// server, a page at a time.
import { useQuery } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, useI18n } from '@fabline/ui';
import { type OrderStatus, StaffOrdersDocument } from '@fabline/ui/operations';
import { useId, useState } from 'react';
import { Link } from 'react-router';
import { needsReview, orderNumber, useTitle } from '../lib.ts';

const pageSize = 25;
const statuses: OrderStatus[] = ['PLACED', 'APPROVED', 'REJECTED', 'CANCELLED', 'IN_PRODUCTION', 'QUALITY_CHECK', 'READY', 'SHIPPED'];

export default function OrdersPage() {
  const { t, money, dateTime } = useI18n();
  const statusId = useId();
  const sortId = useId();
  const checkId = useId();
  useTitle('orders.title');
  const [status, setStatus] = useState<OrderStatus | ''>('');
  const [onlyNeedsReview, setOnlyNeedsReview] = useState(false);
  const [newestFirst, setNewestFirst] = useState(true);
  const { data, previousData, loading, error, refetch, fetchMore } = useQuery(StaffOrdersDocument, {
    variables: {
      first: pageSize,
      status: status ? [status] : null,
      needsReview: onlyNeedsReview ? true : null,
      sort: newestFirst ? 'NEWEST_FIRST' : 'OLDEST_FIRST',
    },
  });
  const shown = data ?? previousData;
  const edges = shown?.orders.edges ?? [];
  const select = 'rounded-md border border-border bg-surface px-2 py-1 text-fg';
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="text-2xl font-semibold">{t('orders.title')}</h1>
        {shown && (
          <p role="status" className="text-fg-muted">
            {t('orders.count', { count: shown.orders.totalCount })}
          </p>
        )}
        <div className="ml-auto flex flex-wrap items-center gap-4 text-sm">
          <label htmlFor={statusId} className="flex items-center gap-2">
            {t('orders.status')}
            <select id={statusId} value={status} onChange={(event) => setStatus(event.target.value as OrderStatus | '')} className={select}>
              <option value="">{t('orders.any')}</option>
              {statuses.map((s) => (
                <option key={s} value={s}>
                  {t(`status.${s}`)}
                </option>
              ))}
            </select>
          </label>
          <label htmlFor={sortId} className="flex items-center gap-2">
            {t('queue.sort')}
            <select
              id={sortId}
              value={newestFirst ? 'newest' : 'oldest'}
              onChange={(event) => setNewestFirst(event.target.value === 'newest')}
              className={select}
            >
              <option value="newest">{t('queue.newest')}</option>
              <option value="oldest">{t('queue.oldest')}</option>
            </select>
          </label>
          <label htmlFor={checkId} className="flex items-center gap-2">
            <input id={checkId} type="checkbox" checked={onlyNeedsReview} onChange={(event) => setOnlyNeedsReview(event.target.checked)} />
            {t('queue.onlyNeedsReview')}
          </label>
        </div>
      </div>
      {loading && !shown ? (
        <div className="flex flex-col gap-2">
          <Skeleton className="h-10" label={t('common.loading')} />
          <Skeleton className="h-10" />
        </div>
      ) : error && !shown ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : (
        <Card className="overflow-x-auto p-0">
          <table aria-label={t('orders.title')} aria-busy={loading} className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="px-3 py-2">
                  {t('queue.order')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.status')}
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
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id} className="border-b border-border">
                  <td className="px-3 py-2">
                    <Link to={`/orders/${node.id}`} className="text-accent underline">
                      {t('queue.open', { number: orderNumber(node.id) })}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">{t(`status.${node.status}`)}</td>
                  <td className="py-2 pr-3">{node.customer.name}</td>
                  <td className="py-2 pr-3">{dateTime(node.placedAt)}</td>
                  <td className="py-2 pr-3">
                    {needsReview(node) ? <span className="rounded-sm bg-muted px-2 py-0.5 text-warning">{t('queue.needsReview')}</span> : null}
                  </td>
                  <td className="py-2 pr-3 text-right tabular-nums">{money(node.total.amount, node.total.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {edges.length === 0 && <p className="p-4 text-fg-muted">{t('orders.empty')}</p>}
          {shown?.orders.pageInfo.hasNextPage && (
            <div className="p-3">
              <Button variant="secondary" onClick={() => void fetchMore({ variables: { after: shown.orders.pageInfo.endCursor } })}>
                {t('customers.more')}
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
