import type { ModelFormat } from './model-format.ts';
import type { ModelParseErrorReason } from './parse/model-parse-error.ts';
import type { Box3Mm, Vec3 } from './parse/triangle-soup.ts';

/**
 * Every text the viewer shows, from the app's message catalogue (`modelViewerMessages` holds
 * English and Russian). `{x}`, `{y}`, `{z}` and `{triangles}` are replaced by numbers
 * formatted with `Intl.NumberFormat` in the viewer's locale.
 */
export interface ModelViewerLabels {
  /** Accessible name of the canvas, e.g. "3D preview". */
  canvas: string;
  /** Shown while the file is read. */
  loading: string;
  /** The text alternative: the size, e.g. "{x} × {y} × {z} mm, {triangles} triangles". */
  summary: string;
  /** How to turn and zoom, linked to the canvas as its description. */
  controls: string;
  errors: Record<ModelParseErrorReason | 'webgl', string>;
}

export interface ModelMeasuredDetails {
  box: Box3Mm;
  format: ModelFormat;
  /** Reading and parsing the file in the Web Worker. */
  parseMs: number;
}

export interface ModelViewerProps {
  /** The local file (before or without upload), a Blob, or a URL to fetch. */
  source: File | Blob | string;
  /** @default inferred from the File's name or the URL, else from the bytes */
  format?: ModelFormat;
  labels: ModelViewerLabels;
  /** Number formatting of the size. @default the document's language, else the browser's */
  locale?: string;
  /** Called once a model is parsed: its size in mm (x width, y depth, z height) and triangle count. */
  onMeasured?: (size: Vec3, triangles: number, details: ModelMeasuredDetails) => void;
  /** Called when the file cannot be shown; the viewer shows the sentence from `labels.errors` itself. */
  onError?: (reason: ModelParseErrorReason | 'webgl') => void;
  /** Classes of the outer element (give it a height, or the default 4:3 aspect ratio applies). */
  className?: string;
  /** @default 'auto': the `dark` class or `data-theme` on <html>, else the system's colour scheme */
  theme?: 'light' | 'dark' | 'auto';
}
