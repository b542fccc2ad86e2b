// Admins: invalidate the gateway's response cache by type or entity, through its admin route
// (POST /admin/cache/invalidate, proxied on this origin), and see its answer: how many entries went
// and whether every replica acknowledged (`acknowledged`) or one stopped serving from memory (`lease_expired`).
import { Alert, Button, Card, ErrorMessage, gatewayErrorOf, TextField, useI18n, useSession } from '@fabline/ui';
import { type FormEvent, useState } from 'react';
import { useTitle } from '../lib.ts';

interface Answer {
  tags: string[];
  entries: number;
  replicas: string;
}

const list = (value: FormDataEntryValue | null) =>
  String(value ?? '')
    .split(/[\s,]+/)
    .map((part) => part.trim())
    .filter(Boolean);

export default function CachePage() {
  const { t, number } = useI18n();
  const { session } = useSession();
  useTitle('cache.title');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const body = { types: list(form.get('types')), entities: list(form.get('entities')) };
    setAnswer(null);
    setFailure(null);
    setBusy(true);
    try {
      const response = await fetch('/admin/cache/invalidate', {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(session ? { authorization: `Bearer ${session.token}` } : {}) },
        body: JSON.stringify(body),
      });
      const json = (await response.json().catch(() => null)) as (Answer & { errors?: { message?: string; extensions?: { code?: unknown } }[] }) | null;
      if (!response.ok || !json || json.errors) setFailure(gatewayErrorOf(json, response.status) ?? { code: 'UNKNOWN', message: '' });
      else setAnswer(json);
    } catch {
      setFailure({ code: 'NETWORK', message: '' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="flex max-w-3xl flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('cache.title')}</h1>
      <p className="text-fg-muted">{t('cache.intro')}</p>
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField label={t('cache.types')} name="types" hint={t('cache.typesHint')} autoComplete="off" />
          <TextField label={t('cache.entities')} name="entities" hint={t('cache.entitiesHint')} autoComplete="off" />
          <div>
            <Button type="submit" disabled={busy}>
              {t('cache.invalidate')}
            </Button>
          </div>
        </form>
      </Card>
      {failure != null && <ErrorMessage error={failure} />}
      {answer && (
        <Alert tone="info">
          <p>{t('cache.done', { entries: number(answer.entries, { maximumFractionDigits: 0 }) })}</p>
          <p data-replicas={answer.replicas}>{answer.replicas === 'acknowledged' ? t('cache.acknowledged') : t('cache.leaseExpired')}</p>
        </Alert>
      )}
    </div>
  );
}
