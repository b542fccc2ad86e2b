// A page for the browser test only: a file input, the lazy ModelViewer and an upload button.
import { StrictMode, Suspense, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { uploadFile } from '../../src/upload/index.ts';
import { ModelViewer, modelViewerMessages } from '../../src/viewer/index.ts';

declare global {
  interface Window {
    fablineDemo: {
      measured: { size: { x: number; y: number; z: number }; triangles: number; parseMs: number; at: number }[];
      errors: string[];
      chosenAt: number;
      progress: number[];
      uploadResult?: unknown;
    };
  }
}

window.fablineDemo = { measured: [], errors: [], chosenAt: 0, progress: [] };

function Demo() {
  const [file, setFile] = useState<File | null>(null);
  return (
    <main style={{ maxWidth: 640, padding: 16, boxSizing: 'border-box' }}>
      <label>
        3D model
        <input
          type="file"
          accept=".stl,.obj,.3mf"
          onChange={(event) => {
            window.fablineDemo.chosenAt = performance.now();
            setFile(event.target.files?.[0] ?? null);
          }}
        />
      </label>
      <button
        type="button"
        disabled={!file}
        onClick={() => {
          if (!file) return;
          uploadFile({
            url: '/graphql',
            file,
            operation: { operationName: 'UploadModel', variables: { file: null }, extensions: { persistedQuery: { version: 1, sha256Hash: 'demo' } } },
            onProgress: (p) => window.fablineDemo.progress.push(p),
          }).then((r) => {
            window.fablineDemo.uploadResult = r;
          });
        }}
      >
        Upload
      </button>
      <button type="button" disabled={!file} onClick={() => setFile(null)}>
        Clear
      </button>
      {file && (
        <Suspense fallback={<p>Loading the viewer…</p>}>
          <ModelViewer
            source={file}
            labels={modelViewerMessages.en}
            locale="en"
            onMeasured={(size, triangles, details) => {
              window.fablineDemo.measured.push({ size, triangles, parseMs: details.parseMs, at: performance.now() });
            }}
            onError={(reason) => window.fablineDemo.errors.push(reason)}
          />
        </Suspense>
      )}
    </main>
  );
}

const root = document.getElementById('root');
if (root)
  createRoot(root).render(
    <StrictMode>
      <Demo />
    </StrictMode>,
  );
