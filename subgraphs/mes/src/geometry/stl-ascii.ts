import { fail } from './errors.ts';
import { isSpace, lineOf, requireNumber, SoupBuilder, tokenText } from './text.ts';
import type { TriangleSoup } from './types.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const W_SOLID = enc('solid');
const W_ENDSOLID = enc('endsolid');
const W_FACET = enc('facet');
const W_ENDFACET = enc('endfacet');
const W_OUTER = enc('outer');
const W_LOOP = enc('loop');
const W_ENDLOOP = enc('endloop');
const W_VERTEX = enc('vertex');

function is(buf: Uint8Array, s: number, e: number, w: Uint8Array): boolean {
  if (e - s !== w.length) return false;
  for (let i = 0; i < w.length; i++) {
    const c = buf[s + i]!;
    // ASCII case-insensitive (some exporters write FACET NORMAL ...)
    if (c !== w[i] && (c | 0x20) !== w[i]) return false;
  }
  return true;
}

/**
 * ASCII STL: any number of `solid ... endsolid` blocks. Facet normals are
 * skipped (they are redundant); loops with more than three vertices are
 * fan-triangulated.
 */
export function parseAsciiStl(buf: Uint8Array, maxTriangles: number): TriangleSoup {
  const n = buf.length;
  const out = new SoupBuilder(Math.ceil(n / 256), maxTriangles);
  let pos = 0;
  let inSolid = false;
  let inFacet = false;
  let inLoop = false;
  let loopVerts = 0;
  let solids = 0;
  // first, previous vertex of the current loop (for fans)
  let fx = 0,
    fy = 0,
    fz = 0,
    px = 0,
    py = 0,
    pz = 0;
  let s = 0;
  let e = 0;
  const nextToken = (): boolean => {
    while (pos < n && isSpace(buf[pos]!)) pos++;
    if (pos >= n) return false;
    s = pos;
    while (pos < n && !isSpace(buf[pos]!)) pos++;
    e = pos;
    return true;
  };
  const skipLine = (): void => {
    while (pos < n && buf[pos] !== 10 && buf[pos] !== 13) pos++;
  };
  const unexpected = (): never => {
    if (solids === 0 && out.length === 0) throw fail.notAMesh('it is text but not an ASCII STL');
    throw fail.malformed(`unexpected ${JSON.stringify(tokenText(buf, s, e))} on line ${lineOf(buf, s)} of the ASCII STL`);
  };
  while (nextToken()) {
    const c = buf[s]! | 0x20;
    if (c === 118 && is(buf, s, e, W_VERTEX)) {
      if (!inLoop) unexpected();
      const tri = out.triangleCount;
      if (!nextToken()) break;
      const x = requireNumber(buf, s, e, tri);
      if (!nextToken()) break;
      const y = requireNumber(buf, s, e, tri);
      if (!nextToken()) break;
      const z = requireNumber(buf, s, e, tri);
      loopVerts++;
      if (loopVerts === 1) {
        fx = x;
        fy = y;
        fz = z;
      } else if (loopVerts >= 3) {
        out.ensure(9);
        const d = out.data;
        const o = out.length;
        d[o] = fx;
        d[o + 1] = fy;
        d[o + 2] = fz;
        d[o + 3] = px;
        d[o + 4] = py;
        d[o + 5] = pz;
        d[o + 6] = x;
        d[o + 7] = y;
        d[o + 8] = z;
        out.length = o + 9;
      }
      px = x;
      py = y;
      pz = z;
    } else if (c === 102 && is(buf, s, e, W_FACET)) {
      if (!inSolid || inFacet) unexpected();
      inFacet = true;
      skipLine(); // "normal nx ny nz" - ignored
    } else if (c === 111 && is(buf, s, e, W_OUTER)) {
      if (!inFacet || inLoop) unexpected();
      if (!nextToken()) break;
      if (!is(buf, s, e, W_LOOP)) unexpected();
      inLoop = true;
      loopVerts = 0;
    } else if (c === 101 && is(buf, s, e, W_ENDLOOP)) {
      if (!inLoop) unexpected();
      if (loopVerts < 3) throw fail.malformed(`a facet ending on line ${lineOf(buf, s)} has only ${loopVerts} vertices`);
      inLoop = false;
    } else if (c === 101 && is(buf, s, e, W_ENDFACET)) {
      if (!inFacet || inLoop) unexpected();
      inFacet = false;
    } else if (c === 101 && is(buf, s, e, W_ENDSOLID)) {
      if (!inSolid || inFacet) unexpected();
      inSolid = false;
      skipLine();
    } else if (c === 115 && is(buf, s, e, W_SOLID)) {
      if (inFacet) unexpected();
      inSolid = true;
      solids++;
      skipLine();
    } else {
      unexpected();
    }
  }
  if (inFacet || inLoop) throw fail.truncated(`the ASCII STL ends inside a facet (triangle ${out.triangleCount + 1})`);
  if (inSolid) {
    if (out.length === 0 && solids === 1) throw fail.empty();
    throw fail.truncated('the ASCII STL has no closing "endsolid"');
  }
  if (out.length === 0) throw fail.empty();
  return out.finish();
}
