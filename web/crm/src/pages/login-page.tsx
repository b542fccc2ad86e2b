// Staff log in here; anyone else (a customer, an operator) is told what this app is for and where to go.
import { useMutation } from '@apollo/client/react';
import { Alert, Button, Card, ErrorMessage, TextField, toGatewayError, useI18n, useSession } from '@fabline/ui';
import { LogInDocument } from '@fabline/ui/operations';
import { type FormEvent, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { staffRoles } from '../app.tsx';
import { useTitle } from '../lib.ts';

export default function LoginPage() {
  const { t } = useI18n();
  const { logIn, ended } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [run, { loading, error }] = useMutation(LogInDocument);
  const [notStaff, setNotStaff] = useState<string | null>(null);
  useTitle('title.login');
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setNotStaff(null);
    const form = new FormData(event.currentTarget);
    const { data } = await run({ variables: { email: String(form.get('email')), password: String(form.get('password')) } }).catch(() => ({ data: undefined }));
    if (!data) return;
    // the token of someone this app is not for is dropped here: it never reaches storage
    if (!staffRoles.has(data.logIn.viewer.role)) {
      setNotStaff(data.logIn.viewer.role);
      return;
    }
    logIn({ token: data.logIn.token, viewer: data.logIn.viewer });
    navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
  };
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title.login')}</h1>
      <p className="text-fg-muted">{t('auth.intro')}</p>
      {ended === 'expired' && <Alert tone="warning">{t('auth.expired')}</Alert>}
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" required />
          <TextField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required />
          {error && (toGatewayError(error).code === 'UNAUTHENTICATED' ? <Alert>{t('auth.wrong')}</Alert> : <ErrorMessage error={error} />)}
          {notStaff && <Alert>{notStaff === 'CUSTOMER' ? t('auth.customer') : t('auth.notStaff')}</Alert>}
          <Button type="submit" disabled={loading}>
            {t('auth.logIn')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
