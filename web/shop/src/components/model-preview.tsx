// The 3D preview of the local file, the centre of the quote page: @fabline/ui's viewer (lazy; the
// file is parsed in a Web Worker), reporting the model's size in mm for the analysis.
import { Card, Skeleton, useI18n } from '@fabline/ui';
import { ModelViewer, modelViewerMessages, type Vec3 } from '@fabline/ui/viewer';
import { Suspense } from 'react';

export function ModelPreview({ file, onMeasured }: { file: File; onMeasured?(size: Vec3): void }) {
  const { t, locale } = useI18n();
  return (
    <Card aria-label={t('preview.title')} className="p-2">
      <Suspense fallback={<Skeleton className="aspect-[4/3] w-full" label={t('preview.placeholder', { name: file.name })} />}>
        <ModelViewer
          key={`${file.name}:${file.size}:${file.lastModified}`}
          source={file}
          labels={modelViewerMessages[locale]}
          locale={locale}
          onMeasured={(size) => onMeasured?.(size)}
        />
      </Suspense>
    </Card>
  );
}
