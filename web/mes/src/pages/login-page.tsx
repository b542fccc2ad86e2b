// Operators and admins log in; anyone else is told, in a sentence, that this app is for production
// staff, and no session is kept (the login page itself is web/ui's).
import { LoginPage as SharedLoginPage, useI18n } from '@fabline/ui';

export const PRODUCTION_ROLES: ReadonlySet<string> = new Set(['OPERATOR', 'ADMIN']);

export function LoginPage() {
  const { t } = useI18n();
  return <SharedLoginPage intro={t('auth.intro')} roles={PRODUCTION_ROLES} refusal={() => t('auth.staffOnly')} />;
}
