import { useQuery } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, useI18n } from '@fabline/ui';
import { MyOrdersDocument } from '@fabline/ui/operations';
import { useEffect } from 'react';
import { Link } from 'react-router';

const pageSize = 10;
export const orderNumber = (id: string) => id.slice(0, 8).toUpperCase();

export default function OrdersPage() {
  const { t, money, dateTime } = useI18n();
  // cache-first: a status an event already changed shows from the cache, without asking again
  const { data, loading, error, refetch, fetchMore } = useQuery(MyOrdersDocument, { variables: { first: pageSize }, fetchPolicy: 'cache-first' });
  useEffect(() => {
    document.title = `${t('title.orders')} · Fabline`;
  }, [t]);
  const edges = data?.myOrders.edges ?? [];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-semibold">{t('title.orders')}</h1>
      {loading && !data ? (
        <div className="flex flex-col gap-2">
          <Skeleton className="h-10" label={t('common.loading')} />
          <Skeleton className="h-10" />
          <Skeleton className="h-10" />
        </div>
      ) : error && !data ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : edges.length === 0 ? (
        <Card>
          <p className="mb-3">{t('orders.empty')}</p>
          <Link to="/" className="text-accent underline">
            {t('cart.startQuote')}
          </Link>
        </Card>
      ) : (
        <Card className="overflow-x-auto">
          <table className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="py-2 pr-3">
                  {t('orders.number')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.status')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('orders.placedAt')}
                </th>
                <th scope="col" className="py-2 text-right">
                  {t('orders.total')}
                </th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id} className="border-b border-border">
                  <td className="py-2 pr-3">
                    <Link to={`/orders/${node.id}`} className="text-accent underline">
                      {t('orders.open', { number: orderNumber(node.id) })}
                    </Link>
                  </td>
                  <td className="py-2 pr-3" data-order-status={node.status}>
                    {t(`status.${node.status}`)}
                  </td>
                  <td className="py-2 pr-3">{dateTime(node.placedAt)}</td>
                  <td className="py-2 text-right tabular-nums">{money(node.total.amount, node.total.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {data?.myOrders.pageInfo.hasNextPage && (
            <Button variant="secondary" className="mt-3" onClick={() => void fetchMore({ variables: { after: data.myOrders.pageInfo.endCursor } })}>
              {t('orders.more')}
            </Button>
          )}
        </Card>
      )}
    </div>
  );
}
