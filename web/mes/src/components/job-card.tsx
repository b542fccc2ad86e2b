// One card on the board, read from the cache with useFragment (BoardCard): the order's short id,
// its lines' material and quantity, the estimated print time, its age, and "Advance" (button, or A
// while the card has focus).
import { useFragment } from '@apollo/client/react';
import { Button, useI18n } from '@fabline/ui';
import { type BoardCardFragment, BoardCardFragmentDoc, type ProductionStage } from '@fabline/ui/operations';
import { type KeyboardEvent, memo, useId } from 'react';
import { Link } from 'react-router';
import { nextStage, printSeconds, shortId, stageOf } from '../lib/stages.ts';

export interface JobCardProps {
  id: string;
  /** Epoch ms the ages are counted to (ticks once a minute). */
  now: number;
  flash: boolean;
  busy: boolean;
  onAdvance(order: BoardCardFragment, to: ProductionStage): void;
}

export const JobCard = memo(function JobCard({ id, now, flash, busy, onAdvance }: JobCardProps) {
  const { t, duration } = useI18n();
  const describedBy = useId();
  const { data, complete } = useFragment({ fragment: BoardCardFragmentDoc, fragmentName: 'BoardCard', from: { __typename: 'Order', id } });
  if (!complete) return null;
  const order = data as BoardCardFragment;
  const stage = stageOf(order);
  const to = stage ? nextStage(stage) : null;
  const seconds = printSeconds(order);
  const since = order.production?.queuedAt ?? order.placedAt;
  const age = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  const [first, ...rest] = order.items;
  const number = shortId(order.id);
  const advance = () => {
    if (to && !busy) onAdvance(order, to);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if ((event.key === 'a' || event.key === 'A') && !event.ctrlKey && !event.metaKey && !event.altKey) {
      event.preventDefault();
      advance();
    }
  };
  return (
    <article
      // biome-ignore lint/a11y/noNoninteractiveTabindex: the card takes focus for its keyboard shortcut (A advances it)
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label={t('board.openJob', { number })}
      data-order-id={order.id}
      className={`flex h-full flex-col gap-1 rounded-md border border-border bg-surface p-2 text-sm focus-visible:outline-2 focus-visible:outline-accent ${flash ? 'fl-flash' : ''}`}
    >
      <div className="flex items-center gap-2">
        <Link to={`/jobs/${order.id}`} className="font-mono font-semibold text-accent underline">
          {number}
        </Link>
        {order.items.some((item) => item.quote.needsReview) && (
          <span className="rounded-sm border border-warning px-1 text-xs text-warning">{t('board.needsReview')}</span>
        )}
      </div>
      <p className="truncate">
        {first ? t('board.line', { material: first.material, quantity: first.quantity }) : '—'}
        {rest.length > 0 && <span className="text-fg-muted"> {t('board.moreLines', { count: rest.length })}</span>}
      </p>
      {order.production?.printer && <p className="truncate text-xs">{order.production.printer.name}</p>}
      <p className="truncate text-xs text-fg-muted">
        {seconds === null ? t('board.printUnknown') : t('board.printTime', { time: duration(seconds) })} · {t('board.age', { age: duration(age) })}
      </p>
      {to && (
        <div className="mt-auto">
          <Button variant="secondary" className="px-2 py-1" disabled={busy} aria-describedby={describedBy} onClick={advance}>
            {t('board.advance')}
          </Button>
          <span id={describedBy} className="sr-only">
            {t('board.advanceTo', { number, stage: t(`stage.${to}`) })}
          </span>
        </div>
      )}
    </article>
  );
});
