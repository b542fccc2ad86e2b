import { useFragment } from '@apollo/client/react';
import { Card, useI18n } from '@fabline/ui';
import { OrderHistoryFragmentDoc } from '@fabline/ui/operations';

/** Every status the order went through, oldest first. */
export function HistoryPanel({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const { data, complete } = useFragment({ fragment: OrderHistoryFragmentDoc, from: { __typename: 'Order', id } });
  if (!complete) return null;
  return (
    <Card aria-labelledby="history-title">
      <h2 id="history-title" className="mb-2 text-lg font-semibold">
        {t('order.history')}
      </h2>
      <ol className="flex flex-col gap-2 border-l-2 border-border pl-4">
        {data.statusHistory.map((change) => (
          <li key={change.id}>
            <span className="font-medium">{t(`status.${change.status}`)}</span> <span className="text-sm text-fg-muted">{dateTime(change.at)}</span>
          </li>
        ))}
      </ol>
    </Card>
  );
}
