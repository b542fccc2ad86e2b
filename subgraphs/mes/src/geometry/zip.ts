import { type UnzipFileInfo, unzipSync } from 'fflate';
import { fail, GeometryError } from './errors.ts';

export const ZIP_LIMITS = {
  /** Total declared uncompressed size of all entries. */
  maxTotalBytes: 512 * 1024 * 1024,
  /** Max uncompressed/compressed ratio for entries bigger than `ratioFloorBytes`. */
  maxRatio: 200,
  ratioFloorBytes: 4 * 1024 * 1024,
  maxEntries: 10_000,
};

/** Rejects absolute paths, drive letters, backslash tricks and `..` segments. */
export function isUnsafeZipPath(name: string): boolean {
  if (name.length === 0 || name.includes('\0')) return true;
  const norm = name.replace(/\\/g, '/');
  if (norm.startsWith('/') || /^[a-zA-Z]:/.test(norm)) return true;
  return norm.split('/').some((seg) => seg === '..');
}

/** Normalises an OPC part name ("/3D/3dmodel.model") to a zip entry name. */
export function partToEntry(target: string): string {
  const t = target.replace(/\\/g, '/');
  const entry = t.startsWith('/') ? t.slice(1) : t;
  if (entry.startsWith('/') || isUnsafeZipPath(entry)) throw fail.unsafePath(target);
  return entry;
}

/**
 * Inspects every entry of the archive (paths, declared sizes, ratios) and
 * extracts only the entries `want` accepts. fflate inflates into a buffer of
 * the declared size, so a lying header cannot make it allocate more.
 */
export function safeUnzip(data: Uint8Array, want: (name: string) => boolean): Map<string, Uint8Array> {
  let total = 0;
  let entries = 0;
  const filter = (f: UnzipFileInfo): boolean => {
    entries++;
    if (entries > ZIP_LIMITS.maxEntries) throw fail.zipBomb(`it has more than ${ZIP_LIMITS.maxEntries} files`);
    if (isUnsafeZipPath(f.name)) throw fail.unsafePath(f.name);
    total += f.originalSize;
    if (total > ZIP_LIMITS.maxTotalBytes) {
      throw fail.zipBomb(`it would expand to more than ${ZIP_LIMITS.maxTotalBytes / 1024 / 1024} MB`);
    }
    if (f.originalSize > ZIP_LIMITS.ratioFloorBytes && f.originalSize > f.size * ZIP_LIMITS.maxRatio) {
      throw fail.zipBomb(`"${f.name}" is compressed more than ${ZIP_LIMITS.maxRatio}:1, which real 3MF files never are`);
    }
    const take = want(f.name);
    if (take && f.compression !== 0 && f.compression !== 8) {
      throw fail.malformed(`the 3MF archive uses an unsupported compression method (${f.compression})`);
    }
    return take;
  };
  if (!hasEndOfCentralDirectory(data)) throw fail.truncated('the 3MF (zip) archive is missing its end, it was cut off');
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(data, { filter });
  } catch (e) {
    if (e instanceof GeometryError) throw e;
    throw fail.malformed('the 3MF (zip) archive is corrupt or incomplete');
  }
  return new Map(Object.entries(files));
}

function hasEndOfCentralDirectory(d: Uint8Array): boolean {
  const stop = Math.max(0, d.length - 65_557);
  for (let i = d.length - 22; i >= stop; i--) {
    if (d[i] === 0x50 && d[i + 1] === 0x4b && d[i + 2] === 5 && d[i + 3] === 6) return true;
  }
  return false;
}
