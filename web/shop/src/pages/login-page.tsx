// Customers (and anyone with an account) log in; the way to sign up is under the form (the login page
// itself is web/ui's).
import { LoginPage as SharedLoginPage, useI18n } from '@fabline/ui';
import { Link } from 'react-router';

export default function LoginPage() {
  const { t } = useI18n();
  return (
    <SharedLoginPage
      intro={t('auth.intro')}
      footer={
        <p className="text-sm">
          {t('auth.noAccount')}{' '}
          <Link to="/signup" className="text-accent underline">
            {t('auth.toSignUp')}
          </Link>
        </p>
      }
    />
  );
}
