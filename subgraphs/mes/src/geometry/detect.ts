import { fail } from './errors.ts';
import { readDeclaredCount, STL_HEADER_BYTES, STL_RECORD_BYTES } from './stl-binary.ts';
import type { MeshFormat } from './types.ts';

const SAMPLE = 4096;

/** Text = no NUL bytes and (almost) no control characters in the first 4 KB. */
export function looksLikeText(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, SAMPLE);
  let control = 0;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (c === 0) return false;
    if (c < 32 && c !== 9 && c !== 10 && c !== 13 && c !== 12) control++;
  }
  return control * 100 <= n;
}

/** Plausible model coordinate: 0 or 1e-9 < |v| < 1e9 (random bits rarely are). */
function sane(v: number): boolean {
  const a = Math.abs(v);
  return a === 0 || (a > 1e-9 && a < 1e9);
}

/** Share of the first (up to 64) complete records whose 9 vertex floats are plausible. */
function plausibleBinaryStl(bytes: Uint8Array): boolean {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records = Math.min(64, Math.floor((bytes.length - STL_HEADER_BYTES) / STL_RECORD_BYTES));
  if (records === 0) return false;
  let good = 0;
  for (let r = 0; r < records; r++) {
    const o = STL_HEADER_BYTES + r * STL_RECORD_BYTES + 12;
    let ok = true;
    for (let k = 0; k < 9 && ok; k++) {
      const v = dv.getFloat32(o + k * 4, true);
      ok = sane(v) || !Number.isFinite(v);
    }
    if (ok) good++;
  }
  return good * 10 >= records * 8;
}

function startsWithWord(bytes: Uint8Array, word: string): boolean {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3; // UTF-8 BOM
  while (i < bytes.length && (bytes[i] === 32 || (bytes[i]! >= 9 && bytes[i]! <= 13))) i++;
  for (let k = 0; k < word.length; k++) {
    if ((bytes[i + k]! | 0x20) !== word.charCodeAt(k)) return false;
  }
  const after = bytes[i + word.length];
  return after === undefined || after === 32 || (after >= 9 && after <= 13);
}

/** An OBJ has `v ` / `f ` lines (checked in the first 64 KB). */
function looksLikeObj(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 65536);
  let v = false;
  let lineStart = true;
  for (let i = 0; i < n; i++) {
    const c = bytes[i]!;
    if (lineStart) {
      const d = bytes[i + 1];
      if ((c === 118 || c === 102) && (d === 32 || d === 9)) {
        if (c === 118) v = true;
        else if (v) return true;
      }
    }
    lineStart = c === 10;
  }
  return v;
}

/**
 * Detects the format from the content only:
 * zip magic -> 3MF; exact binary STL size -> binary (even when the header
 * starts with "solid"); text starting with "solid" -> ASCII STL; text with
 * `v`/`f` lines -> OBJ; other binary data of STL shape -> binary STL (size
 * errors are reported by the parser).
 */
export function detectFormat(bytes: Uint8Array): MeshFormat {
  if (bytes.length === 0) throw fail.empty('The file is empty and');
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 3 && bytes[3] === 4) return '3MF';
  if (bytes.length >= STL_HEADER_BYTES) {
    const count = readDeclaredCount(bytes);
    if (STL_HEADER_BYTES + count * STL_RECORD_BYTES === bytes.length) return 'STL_BINARY';
  }
  const text = looksLikeText(bytes);
  if (text && startsWithWord(bytes, 'solid')) return 'STL_ASCII';
  if (text) {
    if (looksLikeObj(bytes)) return 'OBJ';
    throw fail.notAMesh('it is a text file that is neither ASCII STL nor OBJ');
  }
  if (bytes.length >= STL_HEADER_BYTES && plausibleBinaryStl(bytes)) return 'STL_BINARY';
  if (bytes.length < STL_HEADER_BYTES && startsWithWord(bytes.subarray(0, 6), 'solid')) {
    throw fail.truncated(`the file is only ${bytes.length} bytes long, shorter than an STL header`);
  }
  throw fail.notAMesh();
}
