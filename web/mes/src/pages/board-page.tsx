// The live production board: one column per stage, each a virtualised list of cards. One query
// (ProductionBoard) fills the cache; one subscription (orderEvents PRODUCTION, resumed with the last
// `cursor` after the socket comes back) keeps it current: each event carries the card's fragment, so
// the card moves from the cache, and a new order joins the board's list without a refetch.
import type { ApolloClient, Reference } from '@apollo/client';
import { CombinedGraphQLErrors } from '@apollo/client/errors';
import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Alert, Button, ErrorMessage, FLASH_MS, Skeleton, toGatewayError, useI18n, useSession, VirtualList } from '@fabline/ui';
import {
  AdvanceProductionDocument,
  type BoardCardFragment,
  BoardCardRefreshDocument,
  ProductionBoardDocument,
  ProductionEventsDocument,
  type ProductionStage,
} from '@fabline/ui/operations';
import { type FormEvent, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { JobCard } from '../components/job-card.tsx';
import { type BoardFilter, groupByStage, STAGES, shortId } from '../lib/stages.ts';

/** Jobs per page of the queue (its most): the board asks for pages until it holds every active job. */
export const PAGE_SIZE = 200;
const ROW_HEIGHT = 148;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type Problem = { kind: 'conflict'; number: string } | { kind: 'error'; error: unknown } | { kind: 'notFound'; id: string } | { kind: 'expired' };

interface QueueEdge {
  cursor: string;
  node: Reference;
}

/**
 * Adds an order to (or, once cancelled, removes it from) the cached production queue, a connection
 * whose pages the cache merges into one list (relayStylePagination in app.tsx). A card that joins
 * live has no cursor of its own: the next page read (after the last page's cursor) replaces it in order.
 */
function placeOnBoard(client: ApolloClient, order: BoardCardFragment) {
  const leaves = order.status === 'CANCELLED' || order.status === 'REJECTED';
  client.cache.modify({
    fields: {
      productionQueue(existing: Reference | { edges?: readonly QueueEdge[] } | undefined, { readField, toReference, isReference }) {
        if (!existing || isReference(existing) || !existing.edges) return existing;
        const edges = existing.edges;
        const present = edges.some((edge) => readField('id', edge.node) === order.id);
        if (leaves) return present ? { ...existing, edges: edges.filter((edge) => readField('id', edge.node) !== order.id) } : existing;
        if (present) return existing;
        const node = toReference({ __typename: 'Order', id: order.id });
        return node ? { ...existing, edges: [...edges, { __typename: 'ProductionQueueEdge', cursor: '', node }] } : existing;
      },
    },
  });
}

/** Whether an advance was refused because the board was stale (someone moved the job first). */
function isStale(error: unknown) {
  if (toGatewayError(error).code === 'CONFLICT') return true;
  return CombinedGraphQLErrors.is(error) && error.errors.some((e) => e.extensions?.code === 'BAD_USER_INPUT' && typeof e.extensions.currentStage === 'string');
}

function useNow(everyMs: number) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export default function BoardPage() {
  const { t, number, locale } = useI18n();
  const plural = useMemo(() => new Intl.PluralRules(locale), [locale]);
  const { offline } = useSession();
  const navigate = useNavigate();
  const now = useNow(60_000);
  const { data, loading, error, refetch, fetchMore, client } = useQuery(ProductionBoardDocument, {
    variables: { first: PAGE_SIZE },
    // back on the board after another page: show what the cache has at once, and ask what changed meanwhile
    fetchPolicy: 'cache-and-network',
  });
  const [advance] = useMutation(AdvanceProductionDocument);
  const [filter, setFilter] = useState<BoardFilter>({ material: '', stage: '', printer: '' });
  const [problem, setProblem] = useState<Problem | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const [flashing, setFlashing] = useState<ReadonlySet<string>>(new Set());
  const [busy, setBusy] = useState<ReadonlySet<string>>(new Set());

  useEffect(() => {
    document.title = `${t('title.board')} · ${t('brand')}`;
  }, [t]);

  const flash = useCallback((id: string) => {
    setFlashing((old) => new Set(old).add(id));
    setTimeout(
      () =>
        setFlashing((old) => {
          const next = new Set(old);
          next.delete(id);
          return next;
        }),
      FLASH_MS,
    );
  }, []);

  /** Asks for one card again (after a refusal, or while the MES has not queued a just-approved order). */
  const refreshCard = useCallback(
    async (id: string, attempts = 1) => {
      for (let attempt = 0; attempt < attempts; attempt++) {
        const result = await client.query({ query: BoardCardRefreshDocument, variables: { id }, fetchPolicy: 'network-only' }).catch(() => null);
        const order = result?.data?.order;
        if (order?.production) return;
        await new Promise((resolve) => setTimeout(resolve, 500 * (attempt + 1)));
      }
    },
    [client],
  );

  // the live feed: `after` is the last cursor seen, set anew only when the socket comes back
  const cursor = useRef<string | null>(null);
  const [after, setAfter] = useState<string | null>(null);
  const wasOffline = useRef(false);
  useEffect(() => {
    if (offline) wasOffline.current = true;
    else if (wasOffline.current) {
      wasOffline.current = false;
      setAfter(cursor.current);
    }
  }, [offline]);
  useSubscription(ProductionEventsDocument, {
    variables: { after },
    onData: ({ client: apollo, data: pushed }) => {
      const event = pushed.data?.orderEvents;
      if (!event) return;
      if (event.cursor) cursor.current = event.cursor;
      placeOnBoard(apollo, event.order);
      flash(event.order.id);
      const stage = event.order.production?.stage ?? (event.status === 'APPROVED' ? 'QUEUED' : null);
      if (stage) setAnnouncement(t('board.moved', { number: shortId(event.order.id), stage: t(`stage.${stage}`) }));
      // approved a moment ago, the MES may not have queued it yet: fill in its production shortly
      if (!event.order.production && event.status === 'APPROVED') void refreshCard(event.order.id, 5);
    },
    onError: (failure) => {
      if (toGatewayError(failure).code !== 'RESUME_WINDOW_EXPIRED') return;
      cursor.current = null;
      setAfter(null);
      setProblem({ kind: 'expired' });
      void refetch();
    },
  });

  const onAdvance = useCallback(
    async (order: BoardCardFragment, to: ProductionStage) => {
      setBusy((old) => new Set(old).add(order.id));
      setProblem(null);
      try {
        await advance({ variables: { orderId: order.id, stage: to } });
        flash(order.id);
        setAnnouncement(t('board.moved', { number: shortId(order.id), stage: t(`stage.${to}`) }));
      } catch (failure) {
        if (isStale(failure)) {
          setProblem({ kind: 'conflict', number: shortId(order.id) });
          await refreshCard(order.id);
          flash(order.id);
        } else setProblem({ kind: 'error', error: failure });
      } finally {
        setBusy((old) => {
          const next = new Set(old);
          next.delete(order.id);
          return next;
        });
      }
    },
    [advance, flash, refreshCard, t],
  );

  // the rest of the queue, a page after another, until the board holds every active job
  const queue = data?.productionQueue;
  const asked = useRef<string | null>(null);
  const nextPage = queue?.pageInfo.hasNextPage ? queue.pageInfo.endCursor : null;
  useEffect(() => {
    if (!nextPage || asked.current === nextPage) return;
    asked.current = nextPage;
    fetchMore({ variables: { after: nextPage } }).catch((failure: unknown) => {
      asked.current = null;
      setProblem({ kind: 'error', error: failure });
    });
  }, [nextPage, fetchMore]);
  const orders = useMemo(() => queue?.edges.map((edge) => edge.node), [queue]);
  const loadingMore = Boolean(nextPage);
  const columns = useMemo(() => groupByStage(orders ?? [], filter), [orders, filter]);
  const materials = data?.materials ?? [];
  const printers = data?.printers ?? [];

  const jump = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const raw = String(new FormData(event.currentTarget).get('order') ?? '')
      .trim()
      .toLowerCase();
    if (!raw) return;
    if (UUID.test(raw)) {
      navigate(`/jobs/${raw}`);
      return;
    }
    const match = orders?.find((order) => order.id.startsWith(raw));
    if (match) navigate(`/jobs/${match.id}`);
    else setProblem({ kind: 'notFound', id: raw });
  };

  if (error && !data) return <ErrorMessage error={error} onRetry={() => void refetch()} />;
  const visible = filter.stage ? [filter.stage] : STAGES;
  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-4">
        <h1 className="text-2xl font-semibold">{t('title.board')}</h1>
        <fieldset className="flex flex-wrap items-end gap-3">
          <legend className="sr-only">{t('filter.title')}</legend>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('filter.material')}
            <select
              value={filter.material}
              onChange={(event) => setFilter((old) => ({ ...old, material: event.target.value }))}
              className="rounded-md border border-border bg-surface px-2 py-1.5 text-fg"
            >
              <option value="">{t('filter.all')}</option>
              {materials.map((material) => (
                <option key={material.code} value={material.code}>
                  {material.code}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('filter.printer')}
            <select
              value={filter.printer}
              onChange={(event) => setFilter((old) => ({ ...old, printer: event.target.value }))}
              className="rounded-md border border-border bg-surface px-2 py-1.5 text-fg"
            >
              <option value="">{t('filter.all')}</option>
              {printers.map((printer) => (
                <option key={printer.id} value={printer.id}>
                  {printer.name}
                </option>
              ))}
            </select>
          </label>
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('filter.stage')}
            <select
              value={filter.stage}
              onChange={(event) => setFilter((old) => ({ ...old, stage: event.target.value as ProductionStage | '' }))}
              className="rounded-md border border-border bg-surface px-2 py-1.5 text-fg"
            >
              <option value="">{t('filter.allStages')}</option>
              {STAGES.map((stage) => (
                <option key={stage} value={stage}>
                  {t(`stage.${stage}`)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
        <form onSubmit={jump} className="ml-auto flex items-end gap-2">
          <label className="flex flex-col gap-1 text-sm font-medium">
            {t('jump.label')}
            <input
              name="order"
              autoComplete="off"
              spellCheck={false}
              title={t('jump.hint')}
              className="w-48 rounded-md border border-border bg-surface px-2 py-1.5 font-mono text-fg"
            />
          </label>
          <Button type="submit" variant="secondary">
            {t('jump.go')}
          </Button>
        </form>
      </div>
      <p className="text-xs text-fg-muted">
        {t('board.live')} {t('board.shortcut')}
      </p>
      {problem?.kind === 'conflict' && <Alert>{t('board.conflict', { number: problem.number })}</Alert>}
      {problem?.kind === 'error' && <ErrorMessage error={problem.error} />}
      {problem?.kind === 'notFound' && <Alert tone="warning">{t('jump.notFound', { id: problem.id })}</Alert>}
      {problem?.kind === 'expired' && <Alert tone="warning">{t('board.resumeExpired')}</Alert>}
      {loadingMore && queue && (
        <p role="status" className="text-xs text-fg-muted">
          {t('board.loadingMore', { count: number(queue.edges.length), total: number(queue.totalCount) })}
        </p>
      )}
      <p aria-live="polite" className="sr-only">
        {announcement}
      </p>
      {loading && !data ? (
        <div className="grid grid-cols-6 gap-3">
          {STAGES.map((stage) => (
            <Skeleton key={stage} className="h-96" label={stage === 'QUEUED' ? t('common.loading') : undefined} />
          ))}
        </div>
      ) : (
        <>
          {orders?.length === 0 && <p className="text-fg-muted">{t('board.emptyAll')}</p>}
          <div className={`grid gap-3 ${visible.length === 1 ? 'grid-cols-1 md:w-80' : 'grid-cols-6'}`}>
            {visible.map((stage) => {
              const cards = columns[stage];
              const headingId = `column-${stage}`;
              return (
                <section key={stage} aria-labelledby={headingId} className="flex min-w-0 flex-col rounded-lg border border-border bg-muted">
                  {/* the name over the count, each on one line in every language (Russian words are long): every column's header is the same height */}
                  <h2 id={headingId} className="flex flex-col px-2 pt-2 text-sm font-semibold">
                    <span className="truncate" title={t(`stage.${stage}`)}>
                      {t(`stage.${stage}`)}
                    </span>{' '}
                    <span className="whitespace-nowrap text-xs font-normal text-fg-muted tabular-nums">
                      {t(`board.count.${plural.select(cards.length)}`, { count: number(cards.length) })}
                    </span>
                  </h2>
                  <VirtualList
                    items={cards}
                    rowHeight={ROW_HEIGHT}
                    itemKey={(order) => order.id}
                    label={t(`stage.${stage}`)}
                    className="h-[calc(100vh-15rem)] min-h-80 px-2 pb-2"
                    empty={<p className="px-1 text-xs text-fg-muted">{stage === 'SHIPPED' ? t('board.shippedNote') : t('board.empty')}</p>}
                    renderItem={(order) => (
                      <div className="h-full pb-2">
                        <JobCard id={order.id} now={now} flash={flashing.has(order.id)} busy={busy.has(order.id)} onAdvance={onAdvance} />
                      </div>
                    )}
                  />
                </section>
              );
            })}
          </div>
        </>
      )}
    </div>
  );
}
