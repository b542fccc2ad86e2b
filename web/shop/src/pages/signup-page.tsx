import { useMutation } from '@apollo/client/react';
import { Button, Card, ErrorMessage, TextField, useI18n, useSession } from '@fabline/ui';
import { SignUpDocument } from '@fabline/ui/operations';
import { type FormEvent, useEffect } from 'react';
import { Link, useNavigate } from 'react-router';

export default function SignUpPage() {
  const { t } = useI18n();
  const { logIn } = useSession();
  const navigate = useNavigate();
  const [run, { loading, error }] = useMutation(SignUpDocument);
  useEffect(() => {
    document.title = `${t('title.signup')} · Fabline`;
  }, [t]);
  const submit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input = { name: String(form.get('name')), email: String(form.get('email')), password: String(form.get('password')) };
    const { data } = await run({ variables: { input } }).catch(() => ({ data: undefined }));
    if (!data) return;
    logIn({ token: data.signUp.token, viewer: data.signUp.viewer });
    navigate('/', { replace: true });
  };
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4">
      <h1 className="text-2xl font-semibold">{t('title.signup')}</h1>
      <Card>
        <form onSubmit={submit} className="flex flex-col gap-4">
          <TextField label={t('auth.name')} name="name" autoComplete="name" required />
          <TextField label={t('auth.email')} name="email" type="email" autoComplete="email" required />
          <TextField
            label={t('auth.password')}
            name="password"
            type="password"
            autoComplete="new-password"
            minLength={10}
            hint={t('auth.passwordHint')}
            required
          />
          {error && <ErrorMessage error={error} />}
          <Button type="submit" disabled={loading}>
            {t('auth.signUp')}
          </Button>
        </form>
      </Card>
      <p className="text-sm">
        {t('auth.haveAccount')}{' '}
        <Link to="/login" className="text-accent underline">
          {t('auth.toLogIn')}
        </Link>
      </p>
    </div>
  );
}
