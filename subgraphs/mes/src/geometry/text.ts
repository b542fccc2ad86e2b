import { fail } from './errors.ts';

const POW10: number[] = [];
for (let i = 0; i <= 22; i++) POW10.push(10 ** i);
const latin1 = new TextDecoder('latin1');

/** Whitespace per the formats we read: space, tab, CR, LF, FF, VT, NUL-free. */
export function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

/**
 * Parses a decimal float from bytes [start, end). Exact (correctly rounded)
 * for up to 15 significant digits and |exp10| <= 22 — the classic fast path,
 * which covers everything exporters write; otherwise defers to parseFloat.
 * Returns NaN for malformed text; `nan`/`inf` spellings give NaN/Infinity.
 */
export function parseNumber(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  let neg = false;
  let c = buf[i];
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = buf[++i];
  }
  let mant = 0;
  let digits = 0;
  let exp = 0;
  let any = false;
  while (i < end && c !== undefined && c >= 48 && c <= 57) {
    if (digits < 15) {
      mant = mant * 10 + (c - 48);
      if (mant !== 0) digits++;
    } else {
      exp++;
      digits++;
    }
    any = true;
    c = buf[++i];
  }
  if (i < end && c === 46) {
    c = buf[++i];
    while (i < end && c !== undefined && c >= 48 && c <= 57) {
      if (digits < 15) {
        mant = mant * 10 + (c - 48);
        if (mant !== 0) digits++;
        exp--;
      } else digits++;
      any = true;
      c = buf[++i];
    }
  }
  if (!any) return specialValue(buf, start, end);
  if (i < end && (c === 101 || c === 69)) {
    c = buf[++i];
    let eneg = false;
    if (c === 45 || c === 43) {
      eneg = c === 45;
      c = buf[++i];
    }
    let e = 0;
    let edigits = 0;
    while (i < end && c !== undefined && c >= 48 && c <= 57) {
      if (e < 100000) e = e * 10 + (c - 48);
      edigits++;
      c = buf[++i];
    }
    if (edigits === 0) return Number.NaN;
    exp += eneg ? -e : e;
  }
  if (i !== end) return Number.NaN;
  let v: number;
  if (digits > 15 || exp > 22 || exp < -22) {
    v = Number.parseFloat(latin1.decode(buf.subarray(start, end)));
    return v;
  }
  v = exp >= 0 ? mant * POW10[exp]! : mant / POW10[-exp]!;
  return neg ? -v : v;
}

function specialValue(buf: Uint8Array, start: number, end: number): number {
  const s = latin1.decode(buf.subarray(start, Math.min(end, start + 12))).toLowerCase();
  const body = s.replace(/^[+-]/, '');
  if (body === 'nan' || body.startsWith('nan(')) return Number.NaN;
  if (body === 'inf' || body === 'infinity') return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return Number.NaN;
}

/** True when the token is a spelled-out nan/inf (as opposed to garbage). */
export function isSpecialToken(buf: Uint8Array, start: number, end: number): boolean {
  const s = latin1
    .decode(buf.subarray(start, Math.min(end, start + 12)))
    .toLowerCase()
    .replace(/^[+-]/, '');
  return s === 'nan' || s.startsWith('nan(') || s === 'inf' || s === 'infinity' || s === '1.#inf' || s === '1.#qnan';
}

/** Parses a number token, raising NON_FINITE / MALFORMED with a customer-friendly message. */
export function requireNumber(buf: Uint8Array, start: number, end: number, triangle: number): number {
  const v = parseNumber(buf, start, end);
  if (Number.isFinite(v)) return v;
  if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY || isSpecialToken(buf, start, end)) {
    throw fail.nonFinite(triangle);
  }
  throw fail.malformed(`line ${lineOf(buf, start)}: expected a number but found ${JSON.stringify(tokenText(buf, start, end))}`);
}

export function tokenText(buf: Uint8Array, start: number, end: number): string {
  return latin1.decode(buf.subarray(start, Math.min(end, start + 40)));
}

export function lineOf(buf: Uint8Array, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < buf.length; i++) if (buf[i] === 10) line++;
  return line;
}

/** Growable float32 triangle buffer (9 floats per triangle). */
export class SoupBuilder {
  data: Float32Array;
  length = 0;
  constructor(
    initialTriangles: number,
    private readonly maxTriangles: number,
  ) {
    this.data = new Float32Array(Math.max(16, Math.min(initialTriangles, maxTriangles)) * 9);
  }
  ensure(extraFloats: number): void {
    if (this.length + extraFloats <= this.data.length) return;
    if ((this.length + extraFloats) / 9 > this.maxTriangles) {
      throw fail.tooMany(Math.ceil((this.length + extraFloats) / 9), this.maxTriangles);
    }
    const next = new Float32Array(Math.min(Math.max(this.data.length * 2, this.length + extraFloats), this.maxTriangles * 9 + 9));
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  get triangleCount(): number {
    return this.length / 9;
  }
  finish(): { positions: Float32Array; triangleCount: number } {
    return { positions: this.data.subarray(0, this.length), triangleCount: this.length / 9 };
  }
}
