// Staff log in here; anyone else (a customer, an operator) is told what this app is for and where to
// go, and no session is kept (the login page itself is web/ui's).
import { LoginPage as SharedLoginPage, useI18n } from '@fabline/ui';
import { staffRoles } from '../app.tsx';

export default function LoginPage() {
  const { t } = useI18n();
  return <SharedLoginPage intro={t('auth.intro')} roles={staffRoles} refusal={(role) => (role === 'CUSTOMER' ? t('auth.customer') : t('auth.notStaff'))} />;
}
