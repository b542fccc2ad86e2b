import { useFragment } from '@apollo/client/react';
import { Card, useI18n } from '@fabline/ui';
import { OrderCustomerFragmentDoc } from '@fabline/ui/operations';
import { Link } from 'react-router';
import { orderNumber } from '../lib.ts';

/** Who ordered: name, email, and their other orders. */
export function CustomerPanel({ id }: { id: string }) {
  const { t, money, dateTime } = useI18n();
  const { data, complete } = useFragment({ fragment: OrderCustomerFragmentDoc, from: { __typename: 'Order', id } });
  if (!complete) return null;
  const { customer } = data;
  const earlier = customer.orders.edges.map((e) => e.node).filter((o) => o.id !== id);
  return (
    <Card aria-labelledby="customer-title">
      <h2 id="customer-title" className="mb-2 text-lg font-semibold">
        {t('order.customer')}
      </h2>
      <p>
        <Link to={`/customers/${customer.id}`} className="text-accent underline">
          {customer.name}
        </Link>
      </p>
      <p className="text-sm text-fg-muted">
        <a href={`mailto:${customer.email}`} className="underline">
          {customer.email}
        </a>
      </p>
      <h3 className="mt-3 mb-1 text-sm font-semibold">{t('order.earlier')}</h3>
      {earlier.length === 0 ? (
        <p className="text-sm text-fg-muted">{t('order.firstOrder')}</p>
      ) : (
        <ul className="flex flex-col gap-1 text-sm">
          {earlier.map((o) => (
            <li key={o.id} className="flex flex-wrap gap-2">
              <Link to={`/orders/${o.id}`} className="text-accent underline">
                {t('queue.open', { number: orderNumber(o.id) })}
              </Link>
              <span>{t(`status.${o.status}`)}</span>
              <span className="text-fg-muted">{dateTime(o.placedAt)}</span>
              <span className="ml-auto tabular-nums">{money(o.total.amount, o.total.currency)}</span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
