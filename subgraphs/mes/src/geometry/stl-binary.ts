import { fail } from './errors.ts';
import { type StatsAccumulator, accumulateStats, finishStats, newAccumulator } from './stats.ts';
import { DEFAULT_MAX_TRIANGLES, type MeshStats, type TriangleSoup } from './types.ts';

export const STL_HEADER_BYTES = 84;
export const STL_RECORD_BYTES = 50;

/** Triangles copied per block; even, so the 2-byte shift trick below works. */
const BLOCK = 2048;
// Two aligned scratch copies of a block: records 2j start at byte 100j in `A`
// (4-aligned), records 2j+1 at byte 100j+52 in `B` (copied 2 bytes further).
const scratchA = new Uint8Array(BLOCK * STL_RECORD_BYTES + 8);
const scratchB = new Uint8Array(BLOCK * STL_RECORD_BYTES + 8);
const floatsA = new Float32Array(scratchA.buffer);
const floatsB = new Float32Array(scratchB.buffer);

/**
 * Extracts `count` 50-byte records starting at `src[offset]` into
 * `out[firstTri*9 ...]` and feeds them to the stats accumulator while the
 * block is still in cache. Works for any alignment of `src`.
 */
export function processRecords(
  src: Uint8Array,
  offset: number,
  count: number,
  out: Float32Array,
  firstTri: number,
  acc: StatsAccumulator,
): void {
  for (let done = 0; done < count; done += BLOCK) {
    const m = Math.min(BLOCK, count - done);
    const start = offset + done * STL_RECORD_BYTES;
    const block = src.subarray(start, start + m * STL_RECORD_BYTES);
    scratchA.set(block, 0);
    scratchB.set(block, 2);
    let o = (firstTri + done) * 9;
    const pairs = m >> 1;
    for (let j = 0; j < pairs; j++) {
      // even record: floats 25j..25j+12 of A (3 normal + 9 vertex floats)
      let s = 25 * j + 3;
      out[o] = floatsA[s]!;
      out[o + 1] = floatsA[s + 1]!;
      out[o + 2] = floatsA[s + 2]!;
      out[o + 3] = floatsA[s + 3]!;
      out[o + 4] = floatsA[s + 4]!;
      out[o + 5] = floatsA[s + 5]!;
      out[o + 6] = floatsA[s + 6]!;
      out[o + 7] = floatsA[s + 7]!;
      out[o + 8] = floatsA[s + 8]!;
      // odd record: byte 100j+52 of B => float 25j+13, vertices from +3
      s = 25 * j + 16;
      out[o + 9] = floatsB[s]!;
      out[o + 10] = floatsB[s + 1]!;
      out[o + 11] = floatsB[s + 2]!;
      out[o + 12] = floatsB[s + 3]!;
      out[o + 13] = floatsB[s + 4]!;
      out[o + 14] = floatsB[s + 5]!;
      out[o + 15] = floatsB[s + 6]!;
      out[o + 16] = floatsB[s + 7]!;
      out[o + 17] = floatsB[s + 8]!;
      o += 18;
    }
    if (m & 1) {
      const s = 25 * pairs + 3;
      for (let k = 0; k < 9; k++) out[o + k] = floatsA[s + k]!;
    }
    accumulateStats(out, firstTri + done, firstTri + done + m, acc);
  }
}

export interface ParsedStl extends TriangleSoup {
  stats: MeshStats;
}

export function readDeclaredCount(bytes: Uint8Array): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(80, true);
}

/** One-shot binary STL parse + volume/area/bbox. */
export function parseBinaryStl(bytes: Uint8Array, maxTriangles = DEFAULT_MAX_TRIANGLES): ParsedStl {
  if (bytes.length < STL_HEADER_BYTES) throw fail.truncated(`the 84-byte STL header is only ${bytes.length} bytes long`);
  const count = readDeclaredCount(bytes);
  checkDeclared(count, bytes.length, maxTriangles);
  const positions = new Float32Array(count * 9);
  const acc = newAccumulator();
  processRecords(bytes, STL_HEADER_BYTES, count, positions, 0, acc);
  const soup = { positions, triangleCount: count };
  return { ...soup, stats: finishStats(acc, soup) };
}

function checkDeclared(count: number, size: number, maxTriangles: number): void {
  if (count > maxTriangles) throw fail.tooMany(count, maxTriangles);
  const body = size - STL_HEADER_BYTES;
  const available = Math.floor(body / STL_RECORD_BYTES);
  if (body === count * STL_RECORD_BYTES) {
    if (count === 0) throw fail.empty();
    return;
  }
  // A cut upload/export almost never ends on a 50-byte record boundary; whole
  // records that disagree with the header are a wrong count, not a cut.
  if (body < count * STL_RECORD_BYTES && body % STL_RECORD_BYTES !== 0) {
    throw fail.truncated(`the header announces ${count} triangles but the data stops inside triangle ${available + 1}`);
  }
  throw fail.countMismatch(count, available);
}

/**
 * Streaming binary STL reader: push chunks as they arrive (any sizes), then
 * `finish()`. Memory is the output positions only (36 bytes per triangle).
 */
export class BinaryStlStream {
  private readonly header = new Uint8Array(STL_HEADER_BYTES);
  private headerFill = 0;
  private readonly carry = new Uint8Array(STL_RECORD_BYTES);
  private carryFill = 0;
  private count = -1;
  private done = 0;
  private extra = 0;
  private positions = new Float32Array(0);
  private readonly acc = newAccumulator();

  constructor(private readonly maxTriangles = DEFAULT_MAX_TRIANGLES) {}

  push(chunk: Uint8Array): void {
    let off = 0;
    if (this.count < 0) {
      const take = Math.min(STL_HEADER_BYTES - this.headerFill, chunk.length);
      this.header.set(chunk.subarray(0, take), this.headerFill);
      this.headerFill += take;
      off = take;
      if (this.headerFill < STL_HEADER_BYTES) return;
      this.count = readDeclaredCount(this.header);
      if (this.count > this.maxTriangles) throw fail.tooMany(this.count, this.maxTriangles);
      this.positions = new Float32Array(this.count * 9);
    }
    if (this.carryFill > 0) {
      const take = Math.min(STL_RECORD_BYTES - this.carryFill, chunk.length - off);
      this.carry.set(chunk.subarray(off, off + take), this.carryFill);
      this.carryFill += take;
      off += take;
      if (this.carryFill < STL_RECORD_BYTES) return;
      this.carryFill = 0;
      this.take(this.carry, 0, 1);
    }
    const whole = Math.floor((chunk.length - off) / STL_RECORD_BYTES);
    this.take(chunk, off, whole);
    off += whole * STL_RECORD_BYTES;
    const rest = chunk.length - off;
    if (rest > 0) {
      if (this.done >= this.count) this.extra += rest;
      else {
        this.carry.set(chunk.subarray(off), 0);
        this.carryFill = rest;
      }
    }
  }

  private take(src: Uint8Array, off: number, n: number): void {
    const room = Math.max(0, this.count - this.done);
    const k = Math.min(room, n);
    if (k > 0) processRecords(src, off, k, this.positions, this.done, this.acc);
    this.done += k;
    this.extra += (n - k) * STL_RECORD_BYTES;
  }

  finish(): ParsedStl {
    if (this.count < 0) throw fail.truncated(`the 84-byte STL header is only ${this.headerFill} bytes long`);
    const size = STL_HEADER_BYTES + (this.done * STL_RECORD_BYTES) + this.carryFill + this.extra;
    checkDeclared(this.count, size, this.maxTriangles);
    const soup = { positions: this.positions, triangleCount: this.count };
    return { ...soup, stats: finishStats(this.acc, soup) };
  }
}
