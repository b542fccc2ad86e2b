import type { ModelFormat } from '../model-format.ts';
import { ModelParseError } from './model-parse-error.ts';
import { parse3mf } from './parse-3mf.ts';
import { parseObj } from './parse-obj.ts';
import { isBinaryStl, parseStl } from './parse-stl.ts';
import type { ParsedModel } from './triangle-soup.ts';
import { isZip } from './unzip.ts';

export interface ParsedModelWithFormat extends ParsedModel {
  format: ModelFormat;
}

/**
 * Parses model bytes of the given format, or of the format the bytes look like.
 * A pure function: runs in Node for tests, and in the viewer's Web Worker.
 */
export async function parseModel(bytes: Uint8Array, format?: ModelFormat): Promise<ParsedModelWithFormat> {
  if (bytes.byteLength === 0) throw new ModelParseError('empty', 'The file is empty.');
  const resolved = format ?? sniffFormat(bytes);
  switch (resolved) {
    case 'stl':
      return { ...parseStl(bytes), format: resolved };
    case 'obj':
      return { ...parseObj(bytes), format: resolved };
    case '3mf':
      return { ...(await parse3mf(bytes)), format: resolved };
    case undefined:
      throw new ModelParseError('unknown-format', 'The file is not recognisable as STL, OBJ or 3MF.');
    default: {
      const never: never = resolved;
      throw new ModelParseError('unknown-format', `Unknown format ${String(never)}.`);
    }
  }
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
