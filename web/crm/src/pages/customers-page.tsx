// Customers: a paginated list, searchable by name or email (the search is sent as you type, after a pause).
import { useQuery } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, TextField, useI18n } from '@fabline/ui';
import { CustomersDocument } from '@fabline/ui/operations';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTitle } from '../lib.ts';

const pageSize = 20;

export default function CustomersPage() {
  const { t, dateTime } = useI18n();
  useTitle('customers.title');
  const [text, setText] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), 300);
    return () => clearTimeout(timer);
  }, [text]);
  const { data, previousData, loading, error, refetch, fetchMore } = useQuery(CustomersDocument, {
    variables: { first: pageSize, search: search || null },
  });
  const shown = data ?? previousData;
  const edges = shown?.customers.edges ?? [];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('customers.title')}</h1>
      <div className="flex flex-wrap items-end gap-4">
        <TextField
          label={t('customers.search')}
          type="text"
          autoComplete="off"
          value={text}
          onChange={(event) => setText(event.target.value)}
          hint={t('customers.searchHint')}
          className="w-80"
        />
        {shown && (
          <p role="status" className="text-fg-muted">
            {t('customers.count', { count: shown.customers.totalCount })}
          </p>
        )}
      </div>
      {loading && !shown ? (
        <div className="flex flex-col gap-2">
          <Skeleton className="h-10" label={t('common.loading')} />
          <Skeleton className="h-10" />
        </div>
      ) : error && !shown ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : edges.length === 0 ? (
        <Card>
          <p>{search ? t('customers.noMatch', { search }) : t('customers.empty')}</p>
        </Card>
      ) : (
        <Card className="overflow-x-auto p-0">
          <table aria-label={t('customers.title')} aria-busy={loading} className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="px-3 py-2">
                  {t('customers.name')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('customers.email')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('customers.role')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('customers.since')}
                </th>
              </tr>
            </thead>
            <tbody>
              {edges.map(({ node }) => (
                <tr key={node.id} className="border-b border-border">
                  <td className="px-3 py-2">
                    <Link to={`/customers/${node.id}`} className="text-accent underline">
                      {node.name}
                    </Link>
                  </td>
                  <td className="py-2 pr-3">{node.email}</td>
                  <td className="py-2 pr-3">{t(`role.${node.role}`)}</td>
                  <td className="py-2 pr-3">{dateTime(node.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {shown?.customers.pageInfo.hasNextPage && (
            <div className="p-3">
              <Button variant="secondary" onClick={() => void fetchMore({ variables: { after: shown.customers.pageInfo.endCursor } })}>
                {t('customers.more')}
              </Button>
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
