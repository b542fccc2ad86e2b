import { fail } from './errors.ts';
import { isSpace, lineOf, requireNumber, SoupBuilder } from './text.ts';
import type { TriangleSoup } from './types.ts';

/** Growable int32 list. */
class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Int32Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
}

/**
 * Wavefront OBJ: `v x y z [w | r g b]` and `f` lines with `i`, `i/t`, `i/t/n`,
 * `i//n` references (1-based, negative = relative to the vertices read so
 * far). Polygons are fan-triangulated. Everything else is ignored.
 */
export function parseObj(buf: Uint8Array, maxTriangles: number): TriangleSoup {
  const n = buf.length;
  let verts = new Float64Array(3 * 1024);
  let vcount = 0;
  const tris = new IntList(); // absolute 0-based vertex indices, 3 per triangle
  let pos = 0;
  let lineStart = 0;
  while (pos < n) {
    lineStart = pos;
    while (pos < n && (buf[pos] === 32 || buf[pos] === 9)) pos++;
    const c0 = buf[pos];
    const c1 = buf[pos + 1];
    if (c0 === 118 && (c1 === 32 || c1 === 9)) {
      // vertex
      pos += 2;
      if (vcount * 3 + 3 > verts.length) {
        const next = new Float64Array(verts.length * 2);
        next.set(verts);
        verts = next;
      }
      for (let k = 0; k < 3; k++) {
        while (pos < n && (buf[pos] === 32 || buf[pos] === 9)) pos++;
        const s = pos;
        while (pos < n && !isSpace(buf[pos]!)) pos++;
        if (s === pos) throw fail.malformed(`vertex on line ${lineOf(buf, lineStart)} has fewer than 3 coordinates`);
        const v = requireNumber(buf, s, pos, tris.length / 3);
        if (!Number.isFinite(v)) throw fail.nonFinite(tris.length / 3);
        verts[vcount * 3 + k] = v;
      }
      vcount++;
    } else if (c0 === 102 && (c1 === 32 || c1 === 9)) {
      // face
      pos += 2;
      let first = -1;
      let prev = -1;
      let k = 0;
      for (;;) {
        while (pos < n && (buf[pos] === 32 || buf[pos] === 9)) pos++;
        if (pos >= n || buf[pos] === 10 || buf[pos] === 13 || buf[pos] === 35) break;
        if (buf[pos] === 92) {
          // line continuation "\"
          pos++;
          while (pos < n && isSpace(buf[pos]!)) pos++;
          continue;
        }
        let neg = false;
        if (buf[pos] === 45) {
          neg = true;
          pos++;
        }
        let idx = 0;
        let digits = 0;
        while (pos < n && buf[pos]! >= 48 && buf[pos]! <= 57) {
          idx = idx * 10 + (buf[pos]! - 48);
          if (idx > 0x7fffffff) throw fail.malformed(`face index too large on line ${lineOf(buf, lineStart)}`);
          pos++;
          digits++;
        }
        if (digits === 0 || idx === 0) throw fail.malformed(`invalid face index on line ${lineOf(buf, lineStart)}`);
        // skip "/vt/vn"
        while (pos < n && !isSpace(buf[pos]!)) pos++;
        const abs = neg ? vcount - idx : idx - 1;
        if (abs < 0) throw fail.malformed(`face on line ${lineOf(buf, lineStart)} refers to a vertex before the first one`);
        if (k === 0) first = abs;
        else if (k >= 2) {
          if (tris.length / 3 >= maxTriangles) throw fail.tooMany(tris.length / 3 + 1, maxTriangles);
          tris.push(first);
          tris.push(prev);
          tris.push(abs);
        }
        prev = abs;
        k++;
      }
      if (k < 3) throw fail.malformed(`face on line ${lineOf(buf, lineStart)} has fewer than 3 vertices`);
    }
    // skip to next line
    while (pos < n && buf[pos] !== 10) pos++;
    pos++;
  }
  const tcount = tris.length / 3;
  if (tcount === 0) {
    if (vcount === 0) throw fail.notAMesh('it is text but contains no OBJ vertices or faces');
    throw fail.empty();
  }
  const out = new SoupBuilder(tcount, maxTriangles);
  out.ensure(tcount * 9);
  const d = out.data;
  const t = tris.data;
  for (let i = 0; i < tris.length; i++) {
    const v = t[i]!;
    if (v >= vcount) throw fail.malformed(`a face refers to vertex ${v + 1} but the file has only ${vcount} vertices`);
    d[i * 3] = verts[v * 3]!;
    d[i * 3 + 1] = verts[v * 3 + 1]!;
    d[i * 3 + 2] = verts[v * 3 + 2]!;
  }
  out.length = tcount * 9;
  return out.finish();
}
