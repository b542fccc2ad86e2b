// Admins: the event queues with their dead-letter counts, the letters of one queue with their error
// and attempts, and replay (one, or all of a queue). A replay answers only "found" or a count, so
// the counts and letters are asked for again afterwards: the broker holds the truth.
import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, useI18n } from '@fabline/ui';
import { DeadLettersDocument, EventQueuesDocument, ReplayDeadLetterDocument, ReplayDeadLettersDocument } from '@fabline/ui/operations';
import { useState } from 'react';
import { useTitle } from '../lib.ts';

function Letters({ queue }: { queue: string }) {
  const { t, dateTime } = useI18n();
  const { data, loading, error, refetch } = useQuery(DeadLettersDocument, { variables: { queue, first: 50 }, fetchPolicy: 'network-only' });
  const refetchQueries = ['EventQueues', 'DeadLetters'];
  const [replayOne, one] = useMutation(ReplayDeadLetterDocument, { refetchQueries, awaitRefetchQueries: true });
  const [replayAll, all] = useMutation(ReplayDeadLettersDocument, { refetchQueries, awaitRefetchQueries: true });
  const [done, setDone] = useState<string | null>(null);
  const letters = data?.deadLetters ?? [];
  return (
    <Card aria-labelledby="letters-title">
      <div className="mb-2 flex flex-wrap items-center gap-3">
        <h2 id="letters-title" className="text-lg font-semibold">
          {t('dead.letters', { queue })}
        </h2>
        {letters.length > 0 && (
          <Button
            variant="secondary"
            className="ml-auto"
            disabled={all.loading}
            onClick={() =>
              void replayAll({ variables: { queue } })
                .then((answer) => setDone(t('dead.replayedAll', { count: answer.data?.replayDeadLetters ?? 0 })))
                .catch(() => {})
            }
          >
            {t('dead.replayAll')}
          </Button>
        )}
      </div>
      <p role="status" className="text-sm">
        {done}
      </p>
      {(one.error || all.error) && <ErrorMessage error={one.error ?? all.error} />}
      {loading && !data ? (
        <Skeleton className="h-20" label={t('common.loading')} />
      ) : error && !data ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : letters.length === 0 ? (
        <p className="text-fg-muted">{t('dead.noLetters')}</p>
      ) : (
        <ul className="flex flex-col divide-y divide-border">
          {letters.map((letter, index) => (
            <li key={letter.messageId ?? index} className="flex flex-col gap-1 py-2">
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-mono text-sm">{letter.type ?? t('dead.unknownType')}</span>
                <span className="text-sm text-fg-muted">{letter.messageId}</span>
                <span className="text-sm">{t('dead.attempts', { count: letter.attempts })}</span>
                {letter.deadLetteredAt && <span className="text-sm text-fg-muted">{dateTime(letter.deadLetteredAt)}</span>}
                {letter.messageId && (
                  <Button
                    variant="secondary"
                    className="ml-auto"
                    disabled={one.loading}
                    onClick={() =>
                      void replayOne({ variables: { queue, messageId: letter.messageId as string } })
                        .then((answer) => setDone(answer.data?.replayDeadLetter ? t('dead.replayed') : t('dead.gone')))
                        .catch(() => {})
                    }
                  >
                    {t('dead.replay')}
                  </Button>
                )}
              </div>
              {letter.error && <p className="text-sm text-danger">{letter.error}</p>}
              <details>
                <summary className="cursor-pointer text-sm text-fg-muted">{t('dead.body')}</summary>
                <pre className="overflow-x-auto rounded-md bg-muted p-2 text-xs">{letter.body}</pre>
              </details>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

export default function DeadLettersPage() {
  const { t, number } = useI18n();
  useTitle('dead.title');
  const { data, loading, error, refetch } = useQuery(EventQueuesDocument, { fetchPolicy: 'cache-and-network' });
  const [queue, setQueue] = useState<string | null>(null);
  const queues = data?.eventQueues ?? [];
  return (
    <div className="flex flex-col gap-4">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t('dead.title')}</h1>
        <Button variant="secondary" className="ml-auto" onClick={() => void refetch()}>
          {t('dead.refresh')}
        </Button>
      </div>
      {loading && !data ? (
        <Skeleton className="h-40" label={t('common.loading')} />
      ) : error && !data ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : (
        <Card className="overflow-x-auto p-0">
          <table aria-label={t('dead.queues')} className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="px-3 py-2">
                  {t('dead.queue')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('dead.depth')}
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  {t('dead.count')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  <span className="sr-only">{t('partners.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {queues.map((q) => (
                <tr key={q.name} className={`border-b border-border ${queue === q.name ? 'bg-muted' : ''}`} data-queue={q.name}>
                  <th scope="row" className="px-3 py-2 text-left font-mono font-normal">
                    {q.name}
                  </th>
                  <td className="py-2 pr-3 text-right tabular-nums">{q.depth == null ? '—' : number(q.depth)}</td>
                  <td
                    className={`py-2 pr-3 text-right tabular-nums ${q.deadLetters ? 'font-semibold text-danger' : ''}`}
                    data-dead-letters={q.deadLetters ?? ''}
                  >
                    {q.deadLetters == null ? '—' : number(q.deadLetters)}
                  </td>
                  <td className="py-2 pr-3 text-right">
                    <Button variant="secondary" aria-pressed={queue === q.name} onClick={() => setQueue(q.name)}>
                      {t('dead.show', { queue: q.name })}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </Card>
      )}
      {queue && <Letters key={queue} queue={queue} />}
    </div>
  );
}
