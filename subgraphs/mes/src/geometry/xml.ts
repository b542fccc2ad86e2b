import { fail } from './errors.ts';
import { isSpace } from './text.ts';

const MAX_ATTRS = 64;
const latin1 = new TextDecoder('latin1');
const utf8 = new TextDecoder('utf-8');

export const TAG_OPEN = 1;
export const TAG_CLOSE = 2;
export const TAG_SELF = 3;

/**
 * Minimal pull scanner for the XML in 3MF packages: yields start/end tags with
 * the namespace prefix stripped and attribute byte ranges, without building
 * strings or a DOM. Text content, comments, PIs, DOCTYPE and CDATA are skipped.
 */
export class XmlScanner {
  pos = 0;
  kind = 0;
  nameStart = 0;
  nameEnd = 0;
  attrCount = 0;
  readonly an0 = new Int32Array(MAX_ATTRS);
  readonly an1 = new Int32Array(MAX_ATTRS);
  readonly av0 = new Int32Array(MAX_ATTRS);
  readonly av1 = new Int32Array(MAX_ATTRS);

  constructor(readonly buf: Uint8Array) {}

  next(): boolean {
    const b = this.buf;
    const n = b.length;
    let p = this.pos;
    for (;;) {
      p = b.indexOf(60, p); // '<'
      if (p < 0) {
        this.pos = n;
        return false;
      }
      const c = b[p + 1];
      if (c === 33 || c === 63) {
        // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE>, <?pi?>
        const close = c === 33 && b[p + 2] === 45 ? '-->' : c === 33 && b[p + 2] === 91 ? ']]>' : '>';
        const q = indexOfSeq(b, close, p + 2);
        if (q < 0) throw fail.truncated('the 3MF model XML ends inside a comment or declaration');
        p = q + close.length;
        continue;
      }
      break;
    }
    p++;
    let kind = TAG_OPEN;
    if (b[p] === 47) {
      kind = TAG_CLOSE;
      p++;
    }
    let s = p;
    while (p < n && !isSpace(b[p]!) && b[p] !== 62 && b[p] !== 47) {
      if (b[p] === 58) s = p + 1; // strip "prefix:"
      p++;
    }
    this.nameStart = s;
    this.nameEnd = p;
    let count = 0;
    for (;;) {
      while (p < n && isSpace(b[p]!)) p++;
      if (p >= n) throw fail.truncated('the 3MF model XML ends inside a tag');
      const c = b[p];
      if (c === 62) {
        p++;
        break;
      }
      if (c === 47 && b[p + 1] === 62) {
        kind = TAG_SELF;
        p += 2;
        break;
      }
      let a = p;
      while (p < n && b[p] !== 61 && !isSpace(b[p]!) && b[p] !== 62) {
        if (b[p] === 58) a = p + 1;
        p++;
      }
      const ae = p;
      while (p < n && isSpace(b[p]!)) p++;
      if (b[p] !== 61) throw fail.malformed('the 3MF model XML has an attribute without a value');
      p++;
      while (p < n && isSpace(b[p]!)) p++;
      const q = b[p];
      if (q !== 34 && q !== 39) throw fail.malformed('the 3MF model XML has an unquoted attribute');
      const vs = p + 1;
      const ve = b.indexOf(q, vs);
      if (ve < 0) throw fail.truncated('the 3MF model XML ends inside an attribute');
      p = ve + 1;
      if (count < MAX_ATTRS) {
        this.an0[count] = a;
        this.an1[count] = ae;
        this.av0[count] = vs;
        this.av1[count] = ve;
        count++;
      }
    }
    this.attrCount = count;
    this.kind = kind;
    this.pos = p;
    return true;
  }

  nameIs(word: Uint8Array): boolean {
    return rangeIs(this.buf, this.nameStart, this.nameEnd, word);
  }

  /** Index of the attribute with that local name, or -1. */
  attr(word: Uint8Array): number {
    for (let i = 0; i < this.attrCount; i++) {
      if (rangeIs(this.buf, this.an0[i]!, this.an1[i]!, word)) return i;
    }
    return -1;
  }

  attrString(word: Uint8Array): string | undefined {
    const i = this.attr(word);
    if (i < 0) return undefined;
    return decodeEntities(utf8.decode(this.buf.subarray(this.av0[i]!, this.av1[i]!)));
  }

  tagText(): string {
    return latin1.decode(this.buf.subarray(this.nameStart, Math.min(this.nameEnd, this.nameStart + 40)));
  }
}

export function rangeIs(b: Uint8Array, s: number, e: number, w: Uint8Array): boolean {
  if (e - s !== w.length) return false;
  for (let i = 0; i < w.length; i++) if (b[s + i] !== w[i]) return false;
  return true;
}

function indexOfSeq(b: Uint8Array, seq: string, from: number): number {
  const first = seq.charCodeAt(0);
  let p = from;
  for (;;) {
    p = b.indexOf(first, p);
    if (p < 0) return -1;
    let ok = true;
    for (let i = 1; i < seq.length; i++) {
      if (b[p + i] !== seq.charCodeAt(i)) {
        ok = false;
        break;
      }
    }
    if (ok) return p;
    p++;
  }
}

function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(lt|gt|amp|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'amp') return '&';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    const code = e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10);
    return String.fromCodePoint(code);
  });
}
