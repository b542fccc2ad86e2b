import { fail } from './errors.ts';
import type { MeshStats, TriangleSoup } from './types.ts';

/** Running sums for {@link accumulateStats}; all float64. */
export interface StatsAccumulator {
  vol6: number;
  area2: number;
  minX: number;
  minY: number;
  minZ: number;
  maxX: number;
  maxY: number;
  maxZ: number;
  degenerate: number;
}

export function newAccumulator(): StatsAccumulator {
  return {
    vol6: 0,
    area2: 0,
    minX: Number.POSITIVE_INFINITY,
    minY: Number.POSITIVE_INFINITY,
    minZ: Number.POSITIVE_INFINITY,
    maxX: Number.NEGATIVE_INFINITY,
    maxY: Number.NEGATIVE_INFINITY,
    maxZ: Number.NEGATIVE_INFINITY,
    degenerate: 0,
  };
}

/**
 * Adds triangles [fromTri, toTri) of a contiguous soup to the accumulator.
 */
export function accumulateStats(p: Float32Array, fromTri: number, toTri: number, acc: StatsAccumulator): void {
  accumulateInterleaved(p, fromTri * 9, p, fromTri * 9 + 9, 18, toTri - fromTri, acc);
}

/**
 * The one stats kernel: 6x signed volume (a . ((b-a) x (c-a)) == a . (b x c)),
 * 2x area, bbox and zero-area count, float64 accumulation. Even triangles
 * (k = 0, 2, ...) read 9 floats of `even` at evenStart + (k>>1)*stride, odd ones
 * 9 floats of `odd` at oddStart + (k>>1)*stride; that covers contiguous soups
 * (one array, stride 18) and binary STL blocks, whose even records can be read
 * in place while the odd ones (2 bytes off the float grid) come from a shifted
 * copy. Every format goes through it in file order, so identical float32 input
 * gives bit-identical sums.
 */
export function accumulateInterleaved(
  even: Float32Array,
  evenStart: number,
  odd: Float32Array,
  oddStart: number,
  stride: number,
  count: number,
  acc: StatsAccumulator,
): void {
  let vol6 = acc.vol6;
  let area2 = acc.area2;
  let minX = acc.minX;
  let minY = acc.minY;
  let minZ = acc.minZ;
  let maxX = acc.maxX;
  let maxY = acc.maxY;
  let maxZ = acc.maxZ;
  let degenerate = acc.degenerate;
  for (let k = 0; k < count; k++) {
    // the alternating branch predicts perfectly; both arrays are Float32Array, so the loads stay monomorphic
    const isOdd = (k & 1) !== 0;
    const p = isOdd ? odd : even;
    const i = (isOdd ? oddStart : evenStart) + (k >> 1) * stride;
    const ax = p[i]!;
    const ay = p[i + 1]!;
    const az = p[i + 2]!;
    const bx = p[i + 3]!;
    const by = p[i + 4]!;
    const bz = p[i + 5]!;
    const cx = p[i + 6]!;
    const cy = p[i + 7]!;
    const cz = p[i + 8]!;
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    const nx = uy * vz - uz * vy;
    const ny = uz * vx - ux * vz;
    const nz = ux * vy - uy * vx;
    vol6 += ax * nx + ay * ny + az * nz;
    const n2 = nx * nx + ny * ny + nz * nz;
    if (n2 === 0) degenerate++;
    area2 += Math.sqrt(n2);
    if (ax < minX) minX = ax;
    if (ax > maxX) maxX = ax;
    if (bx < minX) minX = bx;
    if (bx > maxX) maxX = bx;
    if (cx < minX) minX = cx;
    if (cx > maxX) maxX = cx;
    if (ay < minY) minY = ay;
    if (ay > maxY) maxY = ay;
    if (by < minY) minY = by;
    if (by > maxY) maxY = by;
    if (cy < minY) minY = cy;
    if (cy > maxY) maxY = cy;
    if (az < minZ) minZ = az;
    if (az > maxZ) maxZ = az;
    if (bz < minZ) minZ = bz;
    if (bz > maxZ) maxZ = bz;
    if (cz < minZ) minZ = cz;
    if (cz > maxZ) maxZ = cz;
  }
  acc.vol6 = vol6;
  acc.area2 = area2;
  acc.minX = minX;
  acc.minY = minY;
  acc.minZ = minZ;
  acc.maxX = maxX;
  acc.maxY = maxY;
  acc.maxZ = maxZ;
  acc.degenerate = degenerate;
}

/**
 * Turns the accumulator into stats. A NaN/Inf coordinate always poisons the
 * volume sum or the bbox, so the per-coordinate check is only done when one
 * of them is not finite (to name the offending triangle).
 */
export function finishStats(acc: StatsAccumulator, locate: () => number): MeshStats {
  const ok = Number.isFinite(acc.vol6) && Number.isFinite(acc.area2) && Number.isFinite(acc.minX + acc.minY + acc.minZ + acc.maxX + acc.maxY + acc.maxZ);
  if (!ok) throw fail.nonFinite(locate());
  return {
    signedVolume: acc.vol6 / 6,
    area: acc.area2 / 2,
    min: [acc.minX, acc.minY, acc.minZ],
    max: [acc.maxX, acc.maxY, acc.maxZ],
    degenerate: acc.degenerate,
  };
}

/** Index of the first triangle with a NaN/Inf coordinate (0 if none). */
export function firstNonFinite(p: ArrayLike<number>, floats: number): number {
  for (let i = 0; i < floats; i++) if (!Number.isFinite(p[i]!)) return Math.floor(i / 9);
  return 0;
}

export function computeStats(soup: TriangleSoup): MeshStats {
  const acc = newAccumulator();
  accumulateStats(soup.positions, 0, soup.triangleCount, acc);
  return finishStats(acc, () => firstNonFinite(soup.positions, soup.triangleCount * 9));
}
