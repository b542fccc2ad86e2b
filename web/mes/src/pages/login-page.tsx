// Operators and admins log in; anyone else is told, in a sentence, that this app is for production
// staff, and no session is kept.
import { useMutation } from '@apollo/client/react';
import { Alert, Button, Card, ErrorMessage, TextField, toGatewayError, useI18n, useSession } from '@fabline/ui';
import { LogInDocument } from '@fabline/ui/operations';
import { type FormEvent, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';

export const PRODUCTION_ROLES: ReadonlySet<string> = new Set(['OPERATOR', 'ADMIN']);

export function LoginPage() {
  const { t } = useI18n();
  const { logIn, ended, session } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [run, { loading, error }] = useMutation(LogInDocument);
  const [refused, setRefused] = useState(() => !!session && !PRODUCTION_ROLES.has(session.viewer.role));
  useEffect(() => {
    document.title = `${t('title.login')} · ${t('brand')}`;
  }, [t]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const { data } = await run({ variables: { email: String(form.get('email')), password: String(form.get('password')) } }).catch(() => ({ data: undefined }));
    if (!data) return;
    if (!PRODUCTION_ROLES.has(data.logIn.viewer.role)) {
      setRefused(true);
      return;
    }
    setRefused(false);
    logIn({ token: data.logIn.token, viewer: data.logIn.viewer });
    navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
  };
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title.login')}</h1>
      <p className="text-fg-muted">{t('auth.intro')}</p>
      {ended === 'expired' && <Alert tone="warning">{t('auth.expired')}</Alert>}
      {refused && <Alert>{t('auth.staffOnly')}</Alert>}
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" required />
          <TextField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required />
          {error && (toGatewayError(error).code === 'UNAUTHENTICATED' ? <Alert>{t('auth.wrong')}</Alert> : <ErrorMessage error={error} />)}
          <Button type="submit" disabled={loading}>
            {t('auth.logIn')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
