// The 3D preview of the local file. The viewer (web/ui/src/viewer, lazy, worker-parsed) plugs in here.
import { Card, useI18n } from '@fabline/ui';

export function ModelPreview({ file }: { file: File }) {
  const { t } = useI18n();
  return (
    <Card aria-label={t('preview.title')} className="flex min-h-64 items-center justify-center">
      <p className="text-fg-muted">{t('preview.placeholder', { name: file.name })}</p>
    </Card>
  );
}
