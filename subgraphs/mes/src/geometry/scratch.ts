/**
 * Reusable scratch typed arrays for the analysis passes. Analysis is
 * synchronous, so one set per process is safe; it spares the page faults of
 * fresh allocations (significant at 10^6+ triangles). Buffers above
 * MAX_POOLED_BYTES are never retained; call releaseScratch() to drop the rest.
 */
const MAX_POOLED_BYTES = 256 * 1024 * 1024;
const pool = new Map<string, ArrayBuffer>();

function buffer(name: string, bytes: number): ArrayBuffer {
  const have = pool.get(name);
  if (have && have.byteLength >= bytes) return have;
  const buf = new ArrayBuffer(Math.max(bytes, 1024));
  if (bytes <= MAX_POOLED_BYTES) pool.set(name, buf);
  else pool.delete(name);
  return buf;
}

/** Scratch Int32Array of `length`; contents are undefined unless `zero`. */
export function scratchI32(name: string, length: number, zero = false): Int32Array<ArrayBuffer> {
  const a = new Int32Array(buffer(name, length * 4), 0, length);
  if (zero) a.fill(0);
  return a;
}

export function scratchU32(name: string, length: number, zero = false): Uint32Array<ArrayBuffer> {
  const a = new Uint32Array(buffer(name, length * 4), 0, length);
  if (zero) a.fill(0);
  return a;
}

export function scratchU8(name: string, length: number, zero = false): Uint8Array<ArrayBuffer> {
  const a = new Uint8Array(buffer(name, length), 0, length);
  if (zero) a.fill(0);
  return a;
}

/** Frees all pooled scratch memory. */
export function releaseScratch(): void {
  pool.clear();
}
