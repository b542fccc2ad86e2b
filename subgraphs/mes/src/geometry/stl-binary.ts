import { fail } from './errors.ts';
import { accumulateInterleaved, finishStats, firstNonFinite, newAccumulator, type StatsAccumulator } from './stats.ts';
import { DEFAULT_MAX_TRIANGLES, type MeshStats, type TriangleSoup } from './types.ts';

export const STL_HEADER_BYTES = 84;
export const STL_RECORD_BYTES = 50;

/** Triangles per block; even, so record parity inside a block is the global one. */
const BLOCK = 512;
const BLOCK_BYTES = BLOCK * STL_RECORD_BYTES; // multiple of 4
// Record r's vertices start at byte 50r + 12 of the record run: on the float
// grid for even r, 2 bytes off for odd r. When the run itself is 4-aligned the
// even records are read in place through a Float32Array view and only one
// copy of each block, shifted by 2 bytes, serves the odd records (record 2t+1
// lands on float 25t + 16). Otherwise a second, unshifted copy serves the even
// records (record 2t at float B_OFF/4 + 25t + 3).
const B_OFF = BLOCK_BYTES + 4;
const scratch = new Uint8Array(2 * BLOCK_BYTES + 16);
const floats = new Float32Array(scratch.buffer);
const ODD0 = 16;
const PAIR_STRIDE = 25;

/** Where the even and odd records of each block are read from. */
interface Layout {
  even: Float32Array;
  /** Float index of record 0's first vertex in `even`, before adding the block's offset. */
  evenBase: number;
  /** Whether `even` is the source itself (advance by block) or the scratch copy (fixed). */
  inPlace: boolean;
}

function layout(src: Uint8Array, offset: number, count: number): Layout {
  const base = src.byteOffset + offset;
  if (base % 4 === 0) {
    const even = new Float32Array(src.buffer, base, Math.floor((count * STL_RECORD_BYTES) / 4));
    return { even, evenBase: 3, inPlace: true };
  }
  return { even: floats, evenBase: B_OFF / 4 + 3, inPlace: false };
}

/** Copies block `done` and returns the float index of its record 0 in the even array. */
function loadBlock(src: Uint8Array, offset: number, done: number, m: number, lay: Layout): number {
  const start = offset + done * STL_RECORD_BYTES;
  const block = src.subarray(start, start + m * STL_RECORD_BYTES);
  scratch.set(block, 2);
  if (lay.inPlace) return lay.evenBase + (done * STL_RECORD_BYTES) / 4;
  scratch.set(block, B_OFF);
  return lay.evenBase;
}

/**
 * Volume/area/bbox of `count` records at `src[offset]` without materialising
 * the vertices (any alignment of `src`).
 */
export function measureRecords(src: Uint8Array, offset: number, count: number, acc: StatsAccumulator): void {
  const lay = layout(src, offset, count);
  for (let done = 0; done < count; done += BLOCK) {
    const m = Math.min(BLOCK, count - done);
    const e0 = loadBlock(src, offset, done, m, lay);
    accumulateInterleaved(lay.even, e0, floats, ODD0, PAIR_STRIDE, m, acc);
  }
}

/**
 * Same, and also extracts the vertices into `out[firstTri*9 ...]`.
 */
export function processRecords(src: Uint8Array, offset: number, count: number, out: Float32Array, firstTri: number, acc: StatsAccumulator): void {
  const lay = layout(src, offset, count);
  const even = lay.even;
  for (let done = 0; done < count; done += BLOCK) {
    const m = Math.min(BLOCK, count - done);
    const e0 = loadBlock(src, offset, done, m, lay);
    accumulateInterleaved(even, e0, floats, ODD0, PAIR_STRIDE, m, acc);
    let o = (firstTri + done) * 9;
    for (let k = 0; k < m; k++, o += 9) {
      const isOdd = (k & 1) !== 0;
      const p = isOdd ? floats : even;
      const s = (isOdd ? ODD0 : e0) + (k >> 1) * PAIR_STRIDE;
      out[o] = p[s]!;
      out[o + 1] = p[s + 1]!;
      out[o + 2] = p[s + 2]!;
      out[o + 3] = p[s + 3]!;
      out[o + 4] = p[s + 4]!;
      out[o + 5] = p[s + 5]!;
      out[o + 6] = p[s + 6]!;
      out[o + 7] = p[s + 7]!;
      out[o + 8] = p[s + 8]!;
    }
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
  const stats = finishStats(acc, () => firstNonFinite(positions, count * 9));
  return { positions, triangleCount: count, stats };
}

/** Binary STL volume/area/bbox in one streaming pass, without keeping the vertices. */
export function measureBinaryStl(bytes: Uint8Array, maxTriangles = DEFAULT_MAX_TRIANGLES): MeshStats & { triangleCount: number } {
  if (bytes.length < STL_HEADER_BYTES) throw fail.truncated(`the 84-byte STL header is only ${bytes.length} bytes long`);
  const count = readDeclaredCount(bytes);
  checkDeclared(count, bytes.length, maxTriangles);
  const acc = newAccumulator();
  measureRecords(bytes, STL_HEADER_BYTES, count, acc);
  const stats = finishStats(acc, () => firstNonFiniteRecord(bytes, count));
  return { ...stats, triangleCount: count };
}

function firstNonFiniteRecord(bytes: Uint8Array, count: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let t = 0; t < count; t++) {
    for (let k = 0; k < 9; k++) {
      if (!Number.isFinite(dv.getFloat32(STL_HEADER_BYTES + t * STL_RECORD_BYTES + 12 + k * 4, true))) return t;
    }
  }
  return 0;
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
    const size = STL_HEADER_BYTES + this.done * STL_RECORD_BYTES + this.carryFill + this.extra;
    checkDeclared(this.count, size, this.maxTriangles);
    const positions = this.positions;
    const count = this.count;
    return { positions, triangleCount: count, stats: finishStats(this.acc, () => firstNonFinite(positions, count * 9)) };
  }
}
