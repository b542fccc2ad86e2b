// The one login page of the three apps: email and password, the wrong-password and ended-session
// sentences, and (in a staff app) the refusal of someone the app is not for, whose token is dropped
// before it reaches storage. An app gives its introduction, whom it is for, and what goes under the form.
import { useMutation } from '@apollo/client/react';
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { toGatewayError } from '../apollo/errors.ts';
import { Alert, Button, Card, TextField } from '../components/controls.tsx';
import { ErrorMessage } from '../components/error-message.tsx';
import { LogInDocument } from '../generated/operations.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { useSession } from './session.tsx';

export interface LoginPageProps {
  /** The app's introduction, under the title. */
  intro: string;
  /** The roles the app is for; anyone else gets `refusal(role)` and no session. Every role when absent. */
  roles?: ReadonlySet<string>;
  /** The sentence for a role the app is not for. */
  refusal?: (role: string) => string;
  /** What follows the form (the shop's way to sign up). */
  footer?: ReactNode;
}

export function LoginPage({ intro, roles, refusal, footer }: LoginPageProps) {
  const { t } = useI18n();
  const { logIn, ended, session } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [run, { loading, error }] = useMutation(LogInDocument);
  const accepts = (role: string) => !roles || roles.has(role);
  // a session of someone this app is not for (kept from before) is told so at once
  const [refused, setRefused] = useState<string | null>(() => (session && !accepts(session.viewer.role) ? session.viewer.role : null));
  useEffect(() => {
    document.title = `${t('title.login')} · ${t('brand')}`;
  }, [t]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setRefused(null);
    const form = new FormData(event.currentTarget);
    const { data } = await run({ variables: { email: String(form.get('email')), password: String(form.get('password')) } }).catch(() => ({ data: undefined }));
    if (!data) return;
    if (!accepts(data.logIn.viewer.role)) {
      setRefused(data.logIn.viewer.role);
      return;
    }
    logIn({ token: data.logIn.token, viewer: data.logIn.viewer });
    navigate((location.state as { from?: string } | null)?.from ?? '/', { replace: true });
  };
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title.login')}</h1>
      <p className="text-fg-muted">{intro}</p>
      {ended === 'expired' && <Alert tone="warning">{t('auth.expired')}</Alert>}
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" required />
          <TextField label={t('auth.password')} name="password" type="password" autoComplete="current-password" required />
          {error && (toGatewayError(error).code === 'UNAUTHENTICATED' ? <Alert>{t('auth.wrong')}</Alert> : <ErrorMessage error={error} />)}
          {refused && refusal && <Alert>{refusal(refused)}</Alert>}
          <Button type="submit" disabled={loading}>
            {t('auth.logIn')}
          </Button>
        </form>
      </Card>
      {footer}
    </div>
  );
}
