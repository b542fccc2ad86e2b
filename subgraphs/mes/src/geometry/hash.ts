import { createHash } from 'node:crypto';
import { scratchU8, scratchU32 } from './scratch.ts';
import type { TriangleSoup } from './types.ts';

const NEG_ZERO = -2147483648;
const HASH_VERSION = 'fabline-mesh-v1';

/** Normalised float32 bits (-0 -> +0) of coordinate k of the rotated triangle. */
function coord(bits: Int32Array, t: number, rot: number, k: number): number {
  const vert = (Math.floor(k / 3) + rot) % 3;
  const v = bits[t * 9 + vert * 3 + (k % 3)]!;
  return v === NEG_ZERO ? 0 : v;
}

/** Compares two rotated triangles on their 9 normalised int32 coordinates. */
function compareTris(bits: Int32Array, t1: number, r1: number, t2: number, r2: number): number {
  for (let k = 0; k < 9; k++) {
    const a = coord(bits, t1, r1, k);
    const b = coord(bits, t2, r2, k);
    if (a !== b) return a < b ? -1 : 1;
  }
  return 0;
}

/** Rotation (0..2) that makes the triangle's corner sequence lexicographically smallest. */
function bestRotation(bits: Int32Array, t: number): number {
  let best = 0;
  for (let r = 1; r < 3; r++) if (compareTris(bits, t, r, t, best) < 0) best = r;
  return best;
}

/**
 * Canonical geometry hash: every triangle rotated so that its smallest corner
 * comes first (winding kept), the triangle set put in a canonical order, and the
 * float32 coordinates (+0 for -0, little-endian) fed to sha256. Normals,
 * headers, attribute bytes, triangle order and rotation do not matter.
 *
 * The canonical order sorts by a 32-bit fingerprint of the rotated triangle
 * (3-pass LSD radix sort on typed arrays), ties broken by full comparison, so
 * it is a deterministic function of the triangle multiset.
 */
export function canonicalHash(soup: TriangleSoup): string {
  const n = soup.triangleCount;
  const bits = new Int32Array(soup.positions.buffer, soup.positions.byteOffset, n * 9);
  const rot = scratchU8('hash.rot', n);
  let keys = scratchU32('hash.keys', n);
  for (let t = 0, o = 0; t < n; t++, o += 9) {
    let x0 = bits[o]!,
      y0 = bits[o + 1]!,
      z0 = bits[o + 2]!;
    let x1 = bits[o + 3]!,
      y1 = bits[o + 4]!,
      z1 = bits[o + 5]!;
    let x2 = bits[o + 6]!,
      y2 = bits[o + 7]!,
      z2 = bits[o + 8]!;
    if (x0 === NEG_ZERO) x0 = 0;
    if (y0 === NEG_ZERO) y0 = 0;
    if (z0 === NEG_ZERO) z0 = 0;
    if (x1 === NEG_ZERO) x1 = 0;
    if (y1 === NEG_ZERO) y1 = 0;
    if (z1 === NEG_ZERO) z1 = 0;
    if (x2 === NEG_ZERO) x2 = 0;
    if (y2 === NEG_ZERO) y2 = 0;
    if (z2 === NEG_ZERO) z2 = 0;
    // lexicographic vertex comparisons (strict); ties fall back to the slow path
    const c01 = x0 !== x1 ? x0 - x1 : y0 !== y1 ? y0 - y1 : z0 - z1;
    const c02 = x0 !== x2 ? x0 - x2 : y0 !== y2 ? y0 - y2 : z0 - z2;
    const c12 = x1 !== x2 ? x1 - x2 : y1 !== y2 ? y1 - y2 : z1 - z2;
    let r: number;
    if (c01 === 0 || c02 === 0 || c12 === 0) r = bestRotation(bits, t);
    else if (c01 < 0 && c02 < 0) r = 0;
    else if (c12 < 0)
      r = 1; // v1 < v2 and v1 < v0
    else r = 2;
    rot[t] = r;
    let h = 0x811c9dc5;
    if (r === 0) {
      h = mix(mix(mix(h, x0, y0, z0), x1, y1, z1), x2, y2, z2);
    } else if (r === 1) {
      h = mix(mix(mix(h, x1, y1, z1), x2, y2, z2), x0, y0, z0);
    } else {
      h = mix(mix(mix(h, x2, y2, z2), x0, y0, z0), x1, y1, z1);
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    keys[t] = h >>> 0;
  }
  let order = scratchU32('hash.order', n);
  for (let i = 0; i < n; i++) order[i] = i;
  // LSD radix sort of (key, index), 11 + 11 + 10 bits
  let keys2 = scratchU32('hash.keys2', n);
  let order2 = scratchU32('hash.order2', n);
  const hist = new Uint32Array(2048 * 3);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    hist[k & 2047]!++;
    hist[2048 + ((k >>> 11) & 2047)]!++;
    hist[4096 + (k >>> 22)]!++;
  }
  for (let pass = 0; pass < 3; pass++) {
    const base = pass * 2048;
    let sum = 0;
    for (let b = 0; b < 2048; b++) {
      const c = hist[base + b]!;
      hist[base + b] = sum;
      sum += c;
    }
    const shift = pass * 11;
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const d = base + ((k >>> shift) & 2047);
      const p = hist[d]!;
      hist[d] = p + 1;
      keys2[p] = k;
      order2[p] = order[i]!;
    }
    [keys, keys2] = [keys2, keys];
    [order, order2] = [order2, order];
  }
  // break fingerprint ties by full comparison (runs are almost always length 1-2)
  for (let i = 1; i < n; i++) {
    if (keys[i] !== keys[i - 1]) continue;
    const s = i - 1;
    while (i + 1 < n && keys[i + 1] === keys[s]) i++;
    for (let a = s + 1; a <= i; a++) {
      const t = order[a]!;
      let b = a - 1;
      while (b >= s && compareTris(bits, order[b]!, rot[order[b]!]!, t, rot[t]!) > 0) {
        order[b + 1] = order[b]!;
        b--;
      }
      order[b + 1] = t;
    }
  }
  const hash = createHash('sha256');
  hash.update(`${HASH_VERSION}:${n}:`);
  const CH = 8192;
  const chunk = new Int32Array(CH * 9);
  const chunkBytes = new Uint8Array(chunk.buffer);
  let fillCount = 0;
  for (let i = 0; i < n; i++) {
    const t = order[i]!;
    const r = rot[t]!;
    const o = t * 9;
    // corner offsets of the rotated triangle
    const a = o + (r === 0 ? 0 : r === 1 ? 3 : 6);
    const b = o + (r === 0 ? 3 : r === 1 ? 6 : 0);
    const c = o + (r === 0 ? 6 : r === 1 ? 0 : 3);
    const q = fillCount * 9;
    let x = bits[a]!;
    chunk[q] = x === NEG_ZERO ? 0 : x;
    x = bits[a + 1]!;
    chunk[q + 1] = x === NEG_ZERO ? 0 : x;
    x = bits[a + 2]!;
    chunk[q + 2] = x === NEG_ZERO ? 0 : x;
    x = bits[b]!;
    chunk[q + 3] = x === NEG_ZERO ? 0 : x;
    x = bits[b + 1]!;
    chunk[q + 4] = x === NEG_ZERO ? 0 : x;
    x = bits[b + 2]!;
    chunk[q + 5] = x === NEG_ZERO ? 0 : x;
    x = bits[c]!;
    chunk[q + 6] = x === NEG_ZERO ? 0 : x;
    x = bits[c + 1]!;
    chunk[q + 7] = x === NEG_ZERO ? 0 : x;
    x = bits[c + 2]!;
    chunk[q + 8] = x === NEG_ZERO ? 0 : x;
    if (++fillCount === CH) {
      hash.update(chunkBytes);
      fillCount = 0;
    }
  }
  if (fillCount > 0) hash.update(chunkBytes.subarray(0, fillCount * 36));
  return hash.digest('hex');
}

function mix(h0: number, x: number, y: number, z: number): number {
  let h = Math.imul(h0 ^ x, 0x01000193);
  h = Math.imul(h ^ (h >>> 15) ^ y, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 13) ^ z, 0x85ebca77);
  return h ^ (h >>> 16);
}
