// One customer: who they are, their orders, and the notes staff wrote on those orders.
import { useQuery } from '@apollo/client/react';
import { Card, ErrorMessage, Skeleton, useI18n } from '@fabline/ui';
import { CustomerDocument } from '@fabline/ui/operations';
import { Link, useParams } from 'react-router';
import { orderNumber, useTitle } from '../lib.ts';

export default function CustomerPage() {
  const { id = '' } = useParams();
  const { t, money, dateTime } = useI18n();
  const { data, loading, error, refetch } = useQuery(CustomerDocument, { variables: { id } });
  const person = data?.person;
  useTitle('customers.title');
  if (loading && !data) return <Skeleton className="h-32" label={t('common.loading')} />;
  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  if (!person) return <ErrorMessage error={{ code: 'NOT_FOUND', message: '' }} />;
  const orders = person.orders.edges.map((e) => e.node);
  return (
    <div className="flex flex-col gap-4">
      <nav aria-label={t('order.breadcrumb')} className="text-sm">
        <Link to="/customers" className="text-accent underline">
          {t('customers.title')}
        </Link>
      </nav>
      <header>
        <h1 className="text-2xl font-semibold">{person.name}</h1>
        <p className="text-fg-muted">
          <a href={`mailto:${person.email}`} className="underline">
            {person.email}
          </a>{' '}
          · {t(`role.${person.role}`)} · {t('customers.sinceAt', { at: dateTime(person.createdAt) })}
        </p>
      </header>
      <Card aria-labelledby="customer-orders">
        <h2 id="customer-orders" className="mb-2 text-lg font-semibold">
          {t('customers.orders')}
        </h2>
        {orders.length === 0 ? (
          <p className="text-fg-muted">{t('customers.noOrders')}</p>
        ) : (
          <ul className="flex flex-col divide-y divide-border">
            {orders.map((order) => (
              <li key={order.id} className="flex flex-col gap-1 py-2">
                <div className="flex flex-wrap items-center gap-3">
                  <Link to={`/orders/${order.id}`} className="text-accent underline">
                    {t('queue.open', { number: orderNumber(order.id) })}
                  </Link>
                  <span>{t(`status.${order.status}`)}</span>
                  <span className="text-sm text-fg-muted">{dateTime(order.placedAt)}</span>
                  <span className="ml-auto tabular-nums">{money(order.total.amount, order.total.currency)}</span>
                </div>
                {(order.review?.notes ?? []).map((note) => (
                  <p key={note.id} className="ml-4 rounded-md bg-muted px-3 py-1 text-sm">
                    {note.body} <span className="text-xs text-fg-muted">— {t('notes.by', { name: note.author.name, at: dateTime(note.createdAt) })}</span>
                  </p>
                ))}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
