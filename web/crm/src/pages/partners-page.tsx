// Admins: partner API keys with plan and last use; create one (the whole key is shown this once),
// revoke one (the gateway refuses it within its key cache time).
import { useMutation, useQuery } from '@apollo/client/react';
import { Button, Card, ErrorMessage, Skeleton, TextField, useI18n } from '@fabline/ui';
import { CreatePartnerKeyDocument, type PartnerKeyRowFragment, PartnerKeysDocument, RevokePartnerKeyDocument } from '@fabline/ui/operations';
import { type FormEvent, useId, useState } from 'react';
import { useTitle } from '../lib.ts';

export default function PartnersPage() {
  const { t, dateTime } = useI18n();
  const planId = useId();
  useTitle('partners.title');
  const { data, loading, error, refetch } = useQuery(PartnerKeysDocument);
  const [created, setCreated] = useState<{ key: string; name: string } | null>(null);
  const [create, creating] = useMutation(CreatePartnerKeyDocument, {
    // the new key joins the cached list from the answer: no second request for the list
    update(cache, { data: answer }) {
      const key = answer?.createPartnerKey.partnerKey;
      if (!key) return;
      cache.updateQuery({ query: PartnerKeysDocument }, (list) =>
        list && !list.partnerKeys.some((k) => k.id === key.id) ? { ...list, partnerKeys: [key, ...list.partnerKeys] } : list,
      );
    },
  });
  const [revoke, revoking] = useMutation(RevokePartnerKeyDocument);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    const values = new FormData(form);
    const name = String(values.get('name') ?? '').trim();
    if (!name) return;
    const plan = values.get('plan') === 'PREMIUM' ? 'PREMIUM' : 'STANDARD';
    const answer = await create({ variables: { input: { name, plan } } }).catch(() => null);
    if (!answer?.data) return;
    setCreated({ key: answer.data.createPartnerKey.key, name });
    form.reset();
  };
  const keys: PartnerKeyRowFragment[] = data?.partnerKeys ?? [];
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('partners.title')}</h1>
      <p className="text-sm text-fg-muted">{t('partners.revokeTiming')}</p>
      <Card aria-labelledby="new-key">
        <h2 id="new-key" className="mb-2 text-lg font-semibold">
          {t('partners.new')}
        </h2>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-4">
          <TextField label={t('partners.name')} name="name" required maxLength={200} autoComplete="off" className="w-72" />
          <div className="flex flex-col gap-1">
            <label htmlFor={planId} className="text-sm font-medium">
              {t('partners.plan')}
            </label>
            <select id={planId} name="plan" className="rounded-md border border-border bg-surface px-3 py-2 text-fg">
              <option value="STANDARD">{t('plan.STANDARD')}</option>
              <option value="PREMIUM">{t('plan.PREMIUM')}</option>
            </select>
          </div>
          <Button type="submit" disabled={creating.loading}>
            {t('partners.create')}
          </Button>
        </form>
        {creating.error && (
          <div className="mt-3">
            <ErrorMessage error={creating.error} />
          </div>
        )}
        {created && (
          <div role="status" className="mt-4 rounded-md border border-success bg-surface p-3">
            <p className="text-sm">{t('partners.shownOnce', { name: created.name })}</p>
            <p className="mt-2 break-all font-mono text-base" data-testid="new-partner-key">
              <output aria-label={t('partners.key')}>{created.key}</output>
            </p>
          </div>
        )}
      </Card>
      {loading && !data ? (
        <Skeleton className="h-32" label={t('common.loading')} />
      ) : error && !data ? (
        <ErrorMessage error={error} onRetry={() => void refetch()} />
      ) : (
        <Card className="overflow-x-auto p-0">
          <table aria-label={t('partners.list')} className="w-full text-sm">
            <thead>
              <tr className="border-b border-border text-left">
                <th scope="col" className="px-3 py-2">
                  {t('partners.name')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('partners.prefix')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('partners.plan')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('partners.lastUsed')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  {t('partners.state')}
                </th>
                <th scope="col" className="py-2 pr-3">
                  <span className="sr-only">{t('partners.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {keys.map((key) => (
                <tr key={key.id} className="border-b border-border" data-key-prefix={key.prefix}>
                  <td className="px-3 py-2">
                    {key.name}
                    {key.partner.name !== key.name && <span className="block text-xs text-fg-muted">{key.partner.name}</span>}
                  </td>
                  <td className="py-2 pr-3 font-mono">{key.prefix}…</td>
                  <td className="py-2 pr-3">{t(`plan.${key.plan}`)}</td>
                  <td className="py-2 pr-3">{key.lastUsedAt ? dateTime(key.lastUsedAt) : t('partners.never')}</td>
                  <td className="py-2 pr-3">
                    {key.revoked && key.revokedAt ? t('partners.revokedAt', { at: dateTime(key.revokedAt) }) : t('partners.active')}
                  </td>
                  <td className="py-2 pr-3 text-right">
                    {!key.revoked && (
                      <Button variant="danger" disabled={revoking.loading} onClick={() => void revoke({ variables: { id: key.id } }).catch(() => {})}>
                        {t('partners.revoke')}
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {keys.length === 0 && <p className="p-4 text-fg-muted">{t('partners.empty')}</p>}
          {revoking.error && (
            <div className="p-3">
              <ErrorMessage error={revoking.error} />
            </div>
          )}
        </Card>
      )}
    </div>
  );
}
