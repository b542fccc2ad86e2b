// Internal notes on an order, with author and time. A new note goes into the cached review's list
// from the mutation's answer, so it shows without asking for the order again.
import type { Reference } from '@apollo/client';
import { useFragment, useMutation } from '@apollo/client/react';
import { Button, Card, ErrorMessage, useI18n } from '@fabline/ui';
import { AddOrderNoteDocument, OrderNotesFragmentDoc } from '@fabline/ui/operations';
import { type FormEvent, useId, useRef } from 'react';

export function NotesPanel({ id }: { id: string }) {
  const { t, dateTime } = useI18n();
  const noteId = useId();
  const form = useRef<HTMLFormElement>(null);
  const { data, complete } = useFragment({ fragment: OrderNotesFragmentDoc, from: { __typename: 'Order', id } });
  const [add, adding] = useMutation(AddOrderNoteDocument, {
    update(cache, { data: added }) {
      const note = added?.addOrderNote;
      if (!note) return;
      // the answer is already normalized (Note:<id>); the review's list gets a reference to it
      cache.modify({
        id: cache.identify({ __typename: 'Order', id }),
        fields: {
          review(existing, { toReference }) {
            const review = existing as { notes?: readonly Reference[] } | null;
            const ref = toReference(note);
            if (!review || !ref) return existing;
            return { ...review, notes: [...(review.notes ?? []), ref] } as never;
          },
        },
      });
    },
  });
  if (!complete) return null;
  const notes = data.review?.notes ?? [];
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const body = String(new FormData(event.currentTarget).get('note') ?? '').trim();
    if (!body) return;
    add({ variables: { orderId: id, body } })
      .then(() => form.current?.reset())
      .catch(() => {});
  };
  return (
    <Card aria-labelledby="notes-title">
      <h2 id="notes-title" className="mb-2 text-lg font-semibold">
        {t('notes.title')}
      </h2>
      {notes.length === 0 ? (
        <p className="text-sm text-fg-muted">{t('notes.empty')}</p>
      ) : (
        <ul className="mb-3 flex flex-col gap-2">
          {notes.map((note) => (
            <li key={note.id} className="rounded-md bg-muted px-3 py-2">
              <p className="whitespace-pre-wrap">{note.body}</p>
              <p className="text-xs text-fg-muted">{t('notes.by', { name: note.author.name, at: dateTime(note.createdAt) })}</p>
            </li>
          ))}
        </ul>
      )}
      {data.review ? (
        <form ref={form} onSubmit={submit} className="mt-2 flex flex-col gap-2">
          <label htmlFor={noteId} className="text-sm font-medium">
            {t('notes.note')}
          </label>
          <textarea id={noteId} name="note" required maxLength={2000} rows={2} className="rounded-md border border-border bg-surface px-3 py-2 text-fg" />
          {adding.error && <ErrorMessage error={adding.error} />}
          <div>
            <Button type="submit" variant="secondary" disabled={adding.loading}>
              {t('notes.add')}
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-sm text-fg-muted">{t('notes.noReview')}</p>
      )}
    </Card>
  );
}
