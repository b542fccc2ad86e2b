import { scratchI32 } from './scratch.ts';
import type { TriangleSoup } from './types.ts';

export interface Welded {
  /** Welded vertex id of each corner (3 per triangle); pooled scratch, valid until the next analysis. */
  ids: Int32Array;
  vertexCount: number;
}

const NEG_ZERO = -2147483648; // bit pattern of -0.0f as int32

const CACHE_SLOTS = 65536;

function hash3(x: number, y: number, z: number): number {
  let h = Math.imul(x, 0x9e3779b1) ^ Math.imul(y ^ (y >>> 15), 0x85ebca77) ^ Math.imul(z ^ (z >>> 13), 0xc2b2ae3d);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  return h ^ (h >>> 15);
}

/**
 * First pass of the weld: a direct-mapped cache (512 KB, half of L2) of
 * recently seen vertices, 8 bytes a slot: hash and id (the coordinates are
 * compared in `verts`, where a recent vertex is still in the CPU caches).
 * A corner it does not answer gets a new provisional id, its coordinates and
 * hash appended in order (no global table: at 10^7 triangles a table is far
 * larger than the caches and each probe costs a miss). A vertex that comes
 * back after its cache slot was reused gets a second provisional id;
 * {@link mergeDuplicates} folds those afterwards.
 */
class RecentVertices {
  private readonly cache: Int32Array;
  verts: Int32Array;
  keys: Int32Array;
  count = 0;

  constructor(triangleCount: number) {
    // closed meshes have about triangles/2 vertices, plus the few that come back after leaving the cache
    const cap = (triangleCount >> 1) + (triangleCount >> 4) + 64;
    this.verts = scratchI32('weld.verts', cap * 3);
    this.keys = scratchI32('weld.keys', cap);
    this.cache = scratchI32('weld.cache', CACHE_SLOTS * 2, true);
  }

  /** Provisional id of the vertex with these (normalised) coordinate bits. */
  idOf(x: number, y: number, z: number): number {
    const cache = this.cache;
    const h = hash3(x, y, z);
    const co = (h & (CACHE_SLOTS - 1)) << 1;
    const q = cache[co + 1]! - 1;
    // a slot holds the hash and id+1; the coordinates are checked in `verts`, where a recent vertex is still cached
    if (q >= 0 && cache[co] === h) {
      const verts = this.verts;
      if (verts[q * 3] === x && verts[q * 3 + 1] === y && verts[q * 3 + 2] === z) return q;
    }
    const p = this.count;
    if (p >= this.keys.length) this.grow();
    const verts = this.verts;
    verts[p * 3] = x;
    verts[p * 3 + 1] = y;
    verts[p * 3 + 2] = z;
    this.keys[p] = h;
    this.count = p + 1;
    cache[co] = h;
    cache[co + 1] = p + 1;
    return p;
  }

  /** Doubles the provisional arrays (through the pool, so the next analysis starts with the larger size). */
  private grow(): void {
    const cap = this.keys.length * 2;
    const verts = this.verts;
    const keys = this.keys;
    this.verts = scratchI32('weld.verts', cap * 3);
    this.verts.set(verts.subarray(0, this.count * 3));
    this.keys = scratchI32('weld.keys', cap);
    this.keys.set(keys.subarray(0, this.count));
  }
}

/** Entries per bucket aimed at by {@link mergeDuplicates}: its bucket table then stays in L1/L2. */
const BUCKET_TARGET_BITS = 12;

/**
 * Second pass: provisional ids with equal coordinates are one vertex. The
 * ids are scattered by the top bits of their hash into buckets of a few
 * thousand (stable, so each bucket stays in id order), and each bucket is
 * matched through a small open-addressing table that stays in cache; the
 * coordinates are only compared on equal 32-bit hashes. Each vertex keeps its
 * lowest provisional id, the survivors are renumbered densely in id order (so
 * the final ids are in first-seen order) and `ids` is rewritten. Returns the
 * vertex count.
 */
function mergeDuplicates(rv: RecentVertices, ids: Int32Array): number {
  const P = rv.count;
  const keys = rv.keys;
  const verts = rv.verts;
  let bits = 1;
  while (bits < 16 && P >>> (bits + BUCKET_TARGET_BITS) > 0) bits++;
  const shift = 32 - bits;
  const B = 1 << bits;
  const start = new Int32Array(B + 1);
  for (let p = 0; p < P; p++) start[(keys[p]! >>> shift) + 1]!++;
  let largest = 0;
  for (let b = 0; b < B; b++) {
    if (start[b + 1]! > largest) largest = start[b + 1]!;
    start[b + 1]! += start[b]!;
  }
  const fill = start.slice(0, B);
  // each id goes with its hash, so the bucket pass reads memory in order
  const byBucket = scratchI32('weld.byBucket', P);
  const keyByBucket = scratchI32('weld.keyByBucket', P);
  for (let p = 0; p < P; p++) {
    const k = keys[p]!;
    const j = fill[k >>> shift]!++;
    byBucket[j] = p;
    keyByBucket[j] = k;
  }
  let size = 64;
  while (size < largest * 2) size *= 2;
  const mask = size - 1;
  const slotId = scratchI32('weld.slotId', size);
  const slotKey = scratchI32('weld.slotKey', size);
  const slotStamp = scratchI32('weld.slotStamp', size, true);
  let dups: Int32Array = scratchI32('weld.dups', 64);
  let D = 0;
  for (let b = 0; b < B; b++) {
    const stamp = b + 1;
    const e = start[b + 1]!;
    for (let j = start[b]!; j < e; j++) {
      const p = byBucket[j]!;
      const k = keyByBucket[j]!;
      let s = k & mask;
      for (;;) {
        if (slotStamp[s] !== stamp) {
          slotStamp[s] = stamp;
          slotId[s] = p;
          slotKey[s] = k;
          break;
        }
        const q = slotId[s]!;
        if (slotKey[s] === k && verts[q * 3] === verts[p * 3] && verts[q * 3 + 1] === verts[p * 3 + 1] && verts[q * 3 + 2] === verts[p * 3 + 2]) {
          if (D * 2 + 2 > dups.length) {
            const more = new Int32Array(dups.length * 2);
            more.set(dups);
            dups = more;
          }
          dups[D * 2] = p;
          dups[D * 2 + 1] = q;
          D++;
          break;
        }
        s = (s + 1) & mask;
      }
    }
  }
  if (D === 0) return P;
  const final = scratchI32('weld.final', P);
  final.fill(-1);
  for (let d = 0; d < D; d++) final[dups[d * 2]!] = dups[d * 2 + 1]!;
  let next = 0;
  for (let p = 0; p < P; p++) {
    const rep = final[p]!;
    // a duplicate's representative has a lower id, so it is already renumbered
    final[p] = rep < 0 ? next++ : final[rep]!;
  }
  for (let i = 0; i < ids.length; i++) ids[i] = final[ids[i]!]!;
  return next;
}

/**
 * Welds corners whose float32 coordinates are exactly equal (+0 == -0).
 *
 * Exporters write triangles in strips and fans, so most corners repeat a
 * corner of the previous triangle: the loop keeps that triangle's normalised
 * coordinates and ids in locals and compares bits with them, without
 * hashing or touching memory. Only the other corners go to
 * {@link RecentVertices}, then {@link mergeDuplicates}.
 */
export function weldVertices(soup: TriangleSoup): Welded {
  const T = soup.triangleCount;
  const bits = new Int32Array(soup.positions.buffer, soup.positions.byteOffset, T * 9);
  const ids = scratchI32('weld.ids', T * 3);
  const vt = new RecentVertices(T);
  // Normalised coordinates are never -0, so a previous "triangle" of -0 bits matches nothing.
  let pax = NEG_ZERO;
  let pay = NEG_ZERO;
  let paz = NEG_ZERO;
  let pbx = NEG_ZERO;
  let pby = NEG_ZERO;
  let pbz = NEG_ZERO;
  let pcx = NEG_ZERO;
  let pcy = NEG_ZERO;
  let pcz = NEG_ZERO;
  let pa = 0;
  let pb = 0;
  let pc = 0;
  for (let t = 0, o = 0; t < T; t++, o += 9) {
    let ax = bits[o]!;
    let ay = bits[o + 1]!;
    let az = bits[o + 2]!;
    let bx = bits[o + 3]!;
    let by = bits[o + 4]!;
    let bz = bits[o + 5]!;
    let cx = bits[o + 6]!;
    let cy = bits[o + 7]!;
    let cz = bits[o + 8]!;
    if (ax === NEG_ZERO) ax = 0;
    if (ay === NEG_ZERO) ay = 0;
    if (az === NEG_ZERO) az = 0;
    if (bx === NEG_ZERO) bx = 0;
    if (by === NEG_ZERO) by = 0;
    if (bz === NEG_ZERO) bz = 0;
    if (cx === NEG_ZERO) cx = 0;
    if (cy === NEG_ZERO) cy = 0;
    if (cz === NEG_ZERO) cz = 0;
    let ia: number;
    if (ax === pax && ay === pay && az === paz) ia = pa;
    else if (ax === pbx && ay === pby && az === pbz) ia = pb;
    else if (ax === pcx && ay === pcy && az === pcz) ia = pc;
    else ia = vt.idOf(ax, ay, az);
    let ib: number;
    if (bx === pax && by === pay && bz === paz) ib = pa;
    else if (bx === pbx && by === pby && bz === pbz) ib = pb;
    else if (bx === pcx && by === pcy && bz === pcz) ib = pc;
    else ib = vt.idOf(bx, by, bz);
    let ic: number;
    if (cx === pax && cy === pay && cz === paz) ic = pa;
    else if (cx === pbx && cy === pby && cz === pbz) ic = pb;
    else if (cx === pcx && cy === pcy && cz === pcz) ic = pc;
    else ic = vt.idOf(cx, cy, cz);
    const k = t * 3;
    ids[k] = ia;
    ids[k + 1] = ib;
    ids[k + 2] = ic;
    pax = ax;
    pay = ay;
    paz = az;
    pbx = bx;
    pby = by;
    pbz = bz;
    pcx = cx;
    pcy = cy;
    pcz = cz;
    pa = ia;
    pb = ib;
    pc = ic;
  }
  return { ids, vertexCount: mergeDuplicates(vt, ids) };
}
