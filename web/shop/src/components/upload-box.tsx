// Step 1: a file from the picker or dropped on the box; refused before a byte is sent when it is
// over the server's limit or not a 3D format; sent as a multipart request with progress and cancel.
import { Button, describeError, UploadFailed, useI18n, useSession, xhrUpload } from '@fabline/ui';
import type { UploadModelMutation } from '@fabline/ui/operations';
import ids from '@fabline/ui/persisted-query-ids.json';
import { Progress } from 'radix-ui';
import { type DragEvent, useId, useRef, useState } from 'react';

export type UploadedModel = UploadModelMutation['uploadModel'];

export interface UploadBoxProps {
  maxBytes: number;
  formats: readonly string[];
  onUploaded(model: UploadedModel, file: File): void;
  onChosen?(file: File): void;
}

const extensions: Record<string, string> = { STL: '.stl', OBJ: '.obj', THREE_MF: '.3mf' };

type State = { kind: 'idle' } | { kind: 'uploading' | 'done'; percent: number; name: string; size?: number } | { kind: 'error'; message: string };

export function UploadBox({ maxBytes, formats, onUploaded, onChosen }: UploadBoxProps) {
  const { t, bytes } = useI18n();
  const { session } = useSession();
  const inputId = useId();
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [dragging, setDragging] = useState(false);
  const abort = useRef<AbortController | null>(null);
  const accepted = formats.map((f) => extensions[f] ?? `.${f.toLowerCase()}`);

  const send = async (file: File) => {
    const name = file.name;
    if (!accepted.some((ext) => name.toLowerCase().endsWith(ext))) {
      setState({ kind: 'error', message: t('upload.wrongType', { name }) });
      return;
    }
    if (file.size > maxBytes) {
      setState({ kind: 'error', message: t('upload.tooLarge', { name, size: bytes(file.size), limit: bytes(maxBytes) }) });
      return;
    }
    onChosen?.(file);
    const controller = new AbortController();
    abort.current = controller;
    setState({ kind: 'uploading', percent: 0, name });
    try {
      const data = await xhrUpload<UploadModelMutation>({
        operationName: 'UploadModel',
        persistedQueryId: ids.UploadModel,
        variables: {},
        file,
        token: session?.token ?? null,
        signal: controller.signal,
        onProgress: (percent) => setState({ kind: 'uploading', percent, name }),
      });
      setState({ kind: 'done', percent: 100, name, size: file.size });
      onUploaded(data.uploadModel, file);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') setState({ kind: 'error', message: t('upload.cancelled') });
      else {
        const sentence = describeError(error instanceof UploadFailed ? error.error : error);
        setState({ kind: 'error', message: t(sentence.key, sentence.values) });
      }
    } finally {
      abort.current = null;
    }
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file && state.kind !== 'uploading') void send(file);
  };

  return (
    <div className="flex flex-col gap-3">
      {/* biome-ignore lint/a11y/noStaticElementInteractions: the drop target; the file input inside is the keyboard path */}
      <div
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        className={`flex flex-col items-center gap-3 rounded-lg border-2 border-dashed p-8 text-center ${dragging ? 'border-accent bg-muted' : 'border-border'}`}
      >
        <p>{t('upload.drop')}</p>
        <label id={`${inputId}-label`} htmlFor={inputId} className="font-medium">
          {t('upload.label')}
        </label>
        {/* the native control would say "Choose File / No file chosen" in the browser's language, not the
            shop's: it stays the focusable, labelled control, drawn by the second label (which opens it too) */}
        <input
          id={inputId}
          aria-labelledby={`${inputId}-label`}
          type="file"
          accept={accepted.join(',')}
          disabled={state.kind === 'uploading'}
          onChange={(event) => {
            const file = event.currentTarget.files?.[0];
            event.currentTarget.value = '';
            if (file) void send(file);
          }}
          className="peer sr-only"
        />
        <label
          htmlFor={inputId}
          className="cursor-pointer rounded-md bg-accent px-4 py-2 text-sm font-medium text-accent-fg peer-focus-visible:outline peer-focus-visible:outline-2 peer-focus-visible:outline-offset-2 peer-focus-visible:outline-accent peer-disabled:cursor-not-allowed peer-disabled:opacity-50"
        >
          {t('upload.choose')}
        </label>
        <p className="text-xs text-fg-muted">
          {t('upload.limit', { limit: bytes(maxBytes), formats: formats.map((f) => extensions[f]?.slice(1).toUpperCase() ?? f).join(', ') })}
        </p>
      </div>
      {(state.kind === 'uploading' || state.kind === 'done') && (
        <div className="flex flex-wrap items-center gap-3">
          <Progress.Root
            value={state.percent}
            aria-label={t('upload.progress')}
            className="relative h-3 min-w-40 flex-1 basis-full overflow-hidden rounded-full bg-muted sm:basis-0"
          >
            <Progress.Indicator className="h-full bg-accent transition-[width]" style={{ width: `${state.percent}%` }} />
          </Progress.Root>
          <span className="min-w-32 text-sm tabular-nums" aria-live="polite">
            {state.kind === 'done' ? t('upload.done', { name: state.name, size: bytes(state.size ?? 0) }) : t('upload.percent', { percent: state.percent })}
          </span>
          {state.kind === 'uploading' && (
            <Button variant="secondary" onClick={() => abort.current?.abort()}>
              {t('upload.cancel')}
            </Button>
          )}
        </div>
      )}
      {state.kind === 'error' && (
        <p role="alert" className="rounded-md border border-danger bg-surface px-4 py-3 text-sm text-danger">
          {state.message}
        </p>
      )}
    </div>
  );
}
