export interface CheckFileOptions {
  /** The server's limit (read it from the API, not from a copy of a constant). */
  maxBytes: number;
  /** Accepted extensions without the dot, any case, e.g. `['stl', 'obj', '3mf']`. */
  formats: readonly string[];
}

export type FileRefusal =
  | { reason: 'empty' }
  | { reason: 'too-large'; sizeBytes: number; maxBytes: number }
  | { reason: 'wrong-format'; extension: string | undefined; allowed: readonly string[] };

export type FileCheck = { ok: true; format: string } | ({ ok: false } & FileRefusal);

/** Refuses, before a byte is sent, a file the server would refuse for its size or its name. */
export function checkFileBeforeUpload(file: Pick<File, 'name' | 'size'>, { maxBytes, formats }: CheckFileOptions): FileCheck {
  const dot = file.name.lastIndexOf('.');
  const extension = dot > 0 && dot < file.name.length - 1 ? file.name.slice(dot + 1).toLowerCase() : undefined;
  const allowed = formats.map((f) => f.toLowerCase().replace(/^\./, ''));
  if (!extension || !allowed.includes(extension)) return { ok: false, reason: 'wrong-format', extension, allowed };
  if (file.size === 0) return { ok: false, reason: 'empty' };
  if (file.size > maxBytes) return { ok: false, reason: 'too-large', sizeBytes: file.size, maxBytes };
  return { ok: true, format: extension };
}
