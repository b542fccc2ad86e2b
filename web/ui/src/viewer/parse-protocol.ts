import type { ModelFormat } from './model-format.ts';
import type { ModelParseErrorReason } from './parse/model-parse-error.ts';
import type { Box3Mm } from './parse/triangle-soup.ts';

/** Main thread -> worker. A File or Blob is passed by reference; the worker reads its bytes. */
export interface ParseRequest {
  id: number;
  /** A Blob, or an absolute URL the worker fetches. */
  source: Blob | string;
  /** When absent: from the File's name, else from the bytes. */
  format: ModelFormat | undefined;
}

export interface ParsedInWorker {
  positions: Float32Array;
  normals: Float32Array;
  triangles: number;
  box: Box3Mm;
  format: ModelFormat;
  /** Reading plus parsing, in the worker. */
  parseMs: number;
}

/** Worker -> main thread. The arrays of a success are transferred, not copied. */
export type ParseResponse = ({ id: number; ok: true } & ParsedInWorker) | { id: number; ok: false; reason: ModelParseErrorReason; message: string };

/** The User Timing measure the worker records for each parse, visible in DevTools' worker track. */
export const PARSE_MEASURE = 'fabline:model-parse';
