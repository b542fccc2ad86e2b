import { isBinaryStl } from './parse/parse-stl.ts';
import { isZip } from './parse/unzip.ts';

export type ModelFormat = 'stl' | 'obj' | '3mf';

export const MODEL_FORMATS: readonly ModelFormat[] = ['stl', 'obj', '3mf'];

/** The format a file name or URL announces by its extension, if it is one the viewer reads. */
export function inferFormat(nameOrUrl: string | undefined): ModelFormat | undefined {
  if (!nameOrUrl) return undefined;
  const path = nameOrUrl.split(/[?#]/)[0] ?? '';
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (MODEL_FORMATS as readonly string[]).includes(ext) ? (ext as ModelFormat) : undefined;
}

/** The format the bytes look like, for a Blob or URL whose name says nothing. */
export function sniffFormat(bytes: Uint8Array): ModelFormat | undefined {
  if (isZip(bytes)) return '3mf';
  if (isBinaryStl(bytes)) return 'stl';
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.byteLength, 4096)));
  if (/^\s*solid\b/i.test(head)) return 'stl';
  if (/^\s*(v|f|o|g|vn|vt|mtllib|usemtl)\s/m.test(head)) return 'obj';
  return undefined;
}
