export type ModelFormat = 'stl' | 'obj' | '3mf';

export const MODEL_FORMATS: readonly ModelFormat[] = ['stl', 'obj', '3mf'];

/** The format a file name or URL announces by its extension, if it is one the viewer reads. */
export function inferFormat(nameOrUrl: string | undefined): ModelFormat | undefined {
  if (!nameOrUrl) return undefined;
  const path = nameOrUrl.split(/[?#]/)[0] ?? '';
  const ext = path.slice(path.lastIndexOf('.') + 1).toLowerCase();
  return (MODEL_FORMATS as readonly string[]).includes(ext) ? (ext as ModelFormat) : undefined;
}
