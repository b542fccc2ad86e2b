// The order's status and the manager's decision: approve, or reject with a reason (required). A
// second manager deciding the same order gets the backend's CONFLICT as a sentence, and the page then
// shows what was decided.
import { useFragment, useMutation } from '@apollo/client/react';
import { Alert, Button, Card, ErrorMessage, toGatewayError, useI18n } from '@fabline/ui';
import { ApproveOrderDocument, OrderDecisionFragmentDoc, RejectOrderDocument } from '@fabline/ui/operations';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';

export function DecisionPanel({ id, onConflict }: { id: string; onConflict(): void }) {
  const { t, money, dateTime } = useI18n();
  const reasonId = useId();
  const { data, complete } = useFragment({ fragment: OrderDecisionFragmentDoc, from: { __typename: 'Order', id } });
  const [approve, approving] = useMutation(ApproveOrderDocument);
  const [reject, rejecting] = useMutation(RejectOrderDocument);
  const [reasonMissing, setReasonMissing] = useState(false);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  // Alt+A approves: the repeated action of this page, from the keyboard
  const approveRef = useRef<() => void>(() => {});
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === 'KeyA') {
        event.preventDefault();
        approveRef.current();
      }
    };
    globalThis.addEventListener('keydown', onKey);
    return () => globalThis.removeEventListener('keydown', onKey);
  }, []);
  const [failure, setFailure] = useState<unknown>(null);
  if (!complete) return null;
  const pending = data.status === 'PLACED' && (!data.review || data.review.decision === 'PENDING');
  const busy = approving.loading || rejecting.loading;

  const fail = (error: unknown) => {
    setFailure(error);
    const { code } = toGatewayError(error);
    if (code === 'CONFLICT' || code === 'NOT_FOUND') onConflict();
  };
  const onApprove = () => {
    setFailure(null);
    approve({ variables: { id } }).catch(fail);
  };
  approveRef.current = () => {
    if (pending && !busy) onApprove();
  };
  const onReject = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason') ?? '').trim();
    if (!reason) {
      setReasonMissing(true);
      reasonRef.current?.focus();
      return;
    }
    setFailure(null);
    reject({ variables: { id, reason } }).catch(fail);
  };
  const review = data.review;
  return (
    <Card aria-labelledby="decision-title">
      <div className="flex flex-wrap items-center gap-4">
        <h2 id="decision-title" className="sr-only">
          {t('order.decision')}
        </h2>
        <span className="text-sm text-fg-muted">{t('order.status')}</span>
        <p role="status" className="text-2xl font-semibold">
          {t(`status.${data.status}`)}
        </p>
        <span className="ml-auto text-2xl tabular-nums">{money(data.total.amount, data.total.currency)}</span>
      </div>
      {review && review.decision !== 'PENDING' && (
        <p className="mt-2 text-sm">
          {t(`decision.${review.decision}`, { name: review.reviewer?.name ?? '—', at: review.decidedAt ? dateTime(review.decidedAt) : '' })}
          {review.reason ? ` ${t('order.reasonWas', { reason: review.reason })}` : ''}
        </p>
      )}
      {failure != null &&
        (toGatewayError(failure).code === 'CONFLICT' || toGatewayError(failure).code === 'NOT_FOUND' ? (
          <div className="mt-3">
            <Alert>{toGatewayError(failure).code === 'CONFLICT' ? t('order.conflict') : t('order.notYet')}</Alert>
          </div>
        ) : (
          <div className="mt-3">
            <ErrorMessage error={failure} />
          </div>
        ))}
      {pending && (
        <div className="mt-4 flex flex-col gap-3">
          <div className="flex flex-wrap gap-2">
            <Button onClick={onApprove} disabled={busy} aria-keyshortcuts="Alt+A">
              {t('order.approve')}
            </Button>
          </div>
          <form onSubmit={onReject} noValidate className="flex flex-col gap-2 border-t border-border pt-3">
            <label htmlFor={reasonId} className="text-sm font-medium">
              {t('order.reason')}
            </label>
            <textarea
              ref={reasonRef}
              id={reasonId}
              name="reason"
              required
              maxLength={1000}
              rows={2}
              aria-invalid={reasonMissing || undefined}
              aria-describedby={`${reasonId}-hint`}
              onChange={() => setReasonMissing(false)}
              className="rounded-md border border-border bg-surface px-3 py-2 text-fg"
            />
            <p id={`${reasonId}-hint`} className={`text-xs ${reasonMissing ? 'text-danger' : 'text-fg-muted'}`}>
              {reasonMissing ? t('order.reasonMissing') : t('order.reasonHint')}
            </p>
            <div>
              <Button type="submit" variant="danger" disabled={busy}>
                {t('order.reject')}
              </Button>
            </div>
          </form>
        </div>
      )}
    </Card>
  );
}
