import { describeError } from '../apollo/errors.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { Alert, Button } from './controls.tsx';

/** An error as a sentence, with a way out when one is given. */
export function ErrorMessage({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const { key, values } = describeError(error);
  return (
    <Alert>
      <p>{t(key, values)}</p>
      {onRetry && (
        <Button variant="secondary" className="mt-2" onClick={onRetry}>
          {t('common.retry')}
        </Button>
      )}
    </Alert>
  );
}
