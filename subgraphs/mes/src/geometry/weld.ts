import { scratchI32 } from './scratch.ts';
import type { TriangleSoup } from './types.ts';

export interface Welded {
  /** Welded vertex id of each corner (3 per triangle); pooled scratch, valid until the next analysis. */
  ids: Int32Array;
  vertexCount: number;
}

const NEG_ZERO = -2147483648; // bit pattern of -0.0f as int32

function nextPow2(n: number): number {
  let p = 64;
  while (p < n) p *= 2;
  return p;
}

const CACHE_SLOTS = 65536;
const ID_BITS = 26; // 2^26 > 3 * DEFAULT_MAX_TRIANGLES corners
const ID_MASK = (1 << ID_BITS) - 1;

function hash3(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca77) ^ Math.imul(z ^ (z >>> 13), 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

/**
 * Welds corners whose float32 coordinates are exactly equal (+0 == -0).
 *
 * Exporters write triangles in strips and fans, so most corners repeat a
 * corner of the previous triangle: those are matched by comparing bits with
 * it, without hashing. The rest go through a direct-mapped cache (1 MB,
 * L2-sized) that answers repeats of a vertex in nearby triangles, then an
 * open-addressing table (linear probing) of one int32 per slot: id+1 in the
 * low 26 bits and 6 hash bits above, so a probe into an occupied slot of
 * another vertex almost never has to look at coordinates (at 10^7 triangles
 * the table is far larger than the caches: bytes per probe are what count).
 * Coordinates live in `verts`, in first-seen order.
 */
export function weldVertices(soup: TriangleSoup): Welded {
  const n = soup.triangleCount * 3;
  const bits = new Int32Array(soup.positions.buffer, soup.positions.byteOffset, n * 3);
  const ids = scratchI32('weld.ids', n);
  // closed meshes have ~triangles/2 vertices: load <= 0.5 for them
  let cap = nextPow2(soup.triangleCount);
  let mask = cap - 1;
  let table = scratchI32('weld.table', cap, true);
  let limit = cap >> 1;
  let verts = scratchI32('weld.verts', (limit + 1) * 3);
  let count = 0;
  const cache = scratchI32('weld.cache', CACHE_SLOTS * 4, true);
  for (let i = 0; i < n; i++) {
    let x = bits[i * 3]!;
    let y = bits[i * 3 + 1]!;
    let z = bits[i * 3 + 2]!;
    if (x === NEG_ZERO) x = 0;
    if (y === NEG_ZERO) y = 0;
    if (z === NEG_ZERO) z = 0;
    if (i >= 3) {
      // the previous triangle's corners (raw bits: a -0 there only costs the fast path)
      const p = i - (i % 3) - 3;
      const b = p * 3;
      if (x === bits[b] && y === bits[b + 1] && z === bits[b + 2]) {
        ids[i] = ids[p]!;
        continue;
      }
      if (x === bits[b + 3] && y === bits[b + 4] && z === bits[b + 5]) {
        ids[i] = ids[p + 1]!;
        continue;
      }
      if (x === bits[b + 6] && y === bits[b + 7] && z === bits[b + 8]) {
        ids[i] = ids[p + 2]!;
        continue;
      }
    }
    const h = hash3(x, y, z);
    const co = (h & (CACHE_SLOTS - 1)) << 2;
    if (cache[co + 3] !== 0 && cache[co] === x && cache[co + 1] === y && cache[co + 2] === z) {
      ids[i] = cache[co + 3]! - 1;
      continue;
    }
    const tag = (h >>> ID_BITS) << ID_BITS;
    let s = h & mask;
    let id: number;
    for (;;) {
      const e = table[s]!;
      if (e === 0) {
        if (count * 3 >= verts.length) verts = grow(verts, count * 6);
        verts[count * 3] = x;
        verts[count * 3 + 1] = y;
        verts[count * 3 + 2] = z;
        id = ++count;
        table[s] = tag | id;
        if (count > limit) {
          cap *= 2;
          mask = cap - 1;
          limit = cap >> 1;
          table = rehash(verts, count, cap);
        }
        break;
      }
      if ((e & ~ID_MASK) === tag) {
        const v = ((e & ID_MASK) - 1) * 3;
        if (verts[v] === x && verts[v + 1] === y && verts[v + 2] === z) {
          id = e & ID_MASK;
          break;
        }
      }
      s = (s + 1) & mask;
    }
    ids[i] = id - 1;
    cache[co] = x;
    cache[co + 1] = y;
    cache[co + 2] = z;
    cache[co + 3] = id;
  }
  return { ids, vertexCount: count };
}

function grow(a: Int32Array, length: number): Int32Array<ArrayBuffer> {
  const b = new Int32Array(length);
  b.set(a);
  return b;
}

/** A fresh table of `cap` slots holding vertices 1..count (only meshes with more vertices than triangles/2 get here). */
function rehash(verts: Int32Array, count: number, cap: number): Int32Array<ArrayBuffer> {
  const table = new Int32Array(cap);
  const mask = cap - 1;
  for (let id = 1; id <= count; id++) {
    const v = (id - 1) * 3;
    const h = hash3(verts[v]!, verts[v + 1]!, verts[v + 2]!);
    let s = h & mask;
    while (table[s] !== 0) s = (s + 1) & mask;
    table[s] = ((h >>> ID_BITS) << ID_BITS) | id;
  }
  return table;
}
