/**
 * Synthetic meshes and writers for tests and benchmarks. Meshes are triangle
 * soups (9 float32 per triangle, outward CCW winding); closed meshes are built
 * from an indexed vertex table so shared corners are bit-identical.
 */
import { zipSync } from 'fflate';
import { UNIT_TO_MM } from './threemf.ts';

export type Tris = Float32Array;

/** Expands an indexed mesh (float32-rounded vertex table) into a triangle soup. */
export function fromIndexed(verts: ArrayLike<number>, indices: ArrayLike<number>): Tris {
  const v = Float32Array.from(verts);
  const out = new Float32Array(indices.length * 3);
  for (let i = 0; i < indices.length; i++) {
    const k = indices[i]! * 3;
    out[i * 3] = v[k]!;
    out[i * 3 + 1] = v[k + 1]!;
    out[i * 3 + 2] = v[k + 2]!;
  }
  return out;
}

/** Axis-aligned cube [0, size]^3, 12 triangles. */
export function cube(sizeMm = 10): Tris {
  const s = sizeMm;
  const v: number[] = [];
  for (let i = 0; i < 8; i++) v.push((i & 1) * s, ((i >> 1) & 1) * s, ((i >> 2) & 1) * s);
  // biome-ignore format: one face per line
  const f = [
    0, 2, 3, 0, 3, 1, // z = 0
    4, 5, 7, 4, 7, 6, // z = s
    0, 1, 5, 0, 5, 4, // y = 0
    2, 6, 7, 2, 7, 3, // y = s
    0, 4, 6, 0, 6, 2, // x = 0
    1, 3, 7, 1, 7, 5, // x = s
  ];
  return fromIndexed(v, f);
}

/** UV sphere centred at the origin: poles + (rings - 1) latitude rings of `segments` vertices. */
export function uvSphere(radius: number, segments: number, rings: number): Tris {
  const v: number[] = [0, 0, radius];
  for (let i = 1; i < rings; i++) {
    const th = (Math.PI * i) / rings;
    for (let j = 0; j < segments; j++) {
      const ph = (2 * Math.PI * j) / segments;
      v.push(radius * Math.sin(th) * Math.cos(ph), radius * Math.sin(th) * Math.sin(ph), radius * Math.cos(th));
    }
  }
  const south = v.length / 3;
  v.push(0, 0, -radius);
  const at = (i: number, j: number): number => 1 + (i - 1) * segments + (j % segments);
  const f: number[] = [];
  for (let j = 0; j < segments; j++) f.push(0, at(1, j), at(1, j + 1));
  for (let i = 1; i < rings - 1; i++) {
    for (let j = 0; j < segments; j++) {
      const a = at(i, j);
      const b = at(i, j + 1);
      const c = at(i + 1, j);
      const d = at(i + 1, j + 1);
      f.push(a, c, d, a, d, b);
    }
  }
  for (let j = 0; j < segments; j++) f.push(at(rings - 1, j), south, at(rings - 1, j + 1));
  return fromIndexed(v, f);
}

/** Torus around the z axis: major radius R, tube radius r; 2*segU*segV triangles. */
export function torus(R: number, r: number, segU: number, segV: number): Tris {
  const verts = new Float64Array(segU * segV * 3);
  for (let i = 0; i < segU; i++) {
    const u = (2 * Math.PI * i) / segU;
    for (let j = 0; j < segV; j++) {
      const w = (2 * Math.PI * j) / segV;
      const k = (i * segV + j) * 3;
      verts[k] = (R + r * Math.cos(w)) * Math.cos(u);
      verts[k + 1] = (R + r * Math.cos(w)) * Math.sin(u);
      verts[k + 2] = r * Math.sin(w);
    }
  }
  const idx = new Uint32Array(segU * segV * 6);
  let o = 0;
  for (let i = 0; i < segU; i++) {
    const i1 = (i + 1) % segU;
    for (let j = 0; j < segV; j++) {
      const j1 = (j + 1) % segV;
      const a = i * segV + j;
      const b = i1 * segV + j;
      const c = i1 * segV + j1;
      const d = i * segV + j1;
      idx[o++] = a;
      idx[o++] = b;
      idx[o++] = c;
      idx[o++] = a;
      idx[o++] = c;
      idx[o++] = d;
    }
  }
  return fromIndexed(verts, idx);
}

export function translate(t: Tris, dx: number, dy: number, dz: number): Tris {
  const out = new Float32Array(t.length);
  for (let i = 0; i < t.length; i += 3) {
    out[i] = t[i]! + dx;
    out[i + 1] = t[i + 1]! + dy;
    out[i + 2] = t[i + 2]! + dz;
  }
  return out;
}

export function scale(t: Tris, k: number): Tris {
  return Float32Array.from(t, (x) => x * k);
}

/** Reverses the winding of every triangle (or only of triangle `only`). */
export function flipWinding(t: Tris, only?: number): Tris {
  const out = Float32Array.from(t);
  const n = t.length / 9;
  for (let i = 0; i < n; i++) {
    if (only !== undefined && i !== only) continue;
    for (let k = 0; k < 3; k++) {
      out[i * 9 + 3 + k] = t[i * 9 + 6 + k]!;
      out[i * 9 + 6 + k] = t[i * 9 + 3 + k]!;
    }
  }
  return out;
}

export function concat(...parts: Tris[]): Tris {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Binary STL with computed facet normals. */
export function toBinaryStl(t: Tris, header: string | Uint8Array = 'fabline synthetic binary STL', attribute = 0): Uint8Array {
  const n = t.length / 9;
  const out = new Uint8Array(84 + 50 * n);
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  out.set(h.subarray(0, 80));
  const dv = new DataView(out.buffer);
  dv.setUint32(80, n, true);
  for (let i = 0; i < n; i++) {
    const o = 84 + 50 * i;
    const [nx, ny, nz] = normal(t, i);
    dv.setFloat32(o, nx, true);
    dv.setFloat32(o + 4, ny, true);
    dv.setFloat32(o + 8, nz, true);
    for (let k = 0; k < 9; k++) dv.setFloat32(o + 12 + k * 4, t[i * 9 + k]!, true);
    dv.setUint16(o + 48, attribute, true);
  }
  return out;
}

function normal(t: Tris, i: number): [number, number, number] {
  const p = (k: number): number => t[i * 9 + k]!;
  const ux = p(3) - p(0),
    uy = p(4) - p(1),
    uz = p(5) - p(2);
  const vx = p(6) - p(0),
    vy = p(7) - p(1),
    vz = p(8) - p(2);
  const nx = uy * vz - uz * vy,
    ny = uz * vx - ux * vz,
    nz = ux * vy - uy * vx;
  const len = Math.hypot(nx, ny, nz) || 1;
  return [nx / len, ny / len, nz / len];
}

/** Shortest decimal that reads back as the same float32. */
export function fmt32(v: number): string {
  for (let p = 1; p < 9; p++) {
    const s = Number(v.toPrecision(p));
    if (Math.fround(s) === v) return String(s);
  }
  return String(Number(v.toPrecision(9)));
}

/** ASCII STL, optionally split into several `solid ... endsolid` blocks. */
export function toAsciiStl(t: Tris, solids = 1): Uint8Array {
  const n = t.length / 9;
  const lines: string[] = [];
  const per = Math.ceil(n / solids);
  for (let s = 0; s < solids; s++) {
    lines.push(`solid part${s}`);
    for (let i = s * per; i < Math.min(n, (s + 1) * per); i++) {
      const [nx, ny, nz] = normal(t, i);
      lines.push(`  facet normal ${nx.toExponential(6)} ${ny.toExponential(6)} ${nz.toExponential(6)}`, '    outer loop');
      for (let k = 0; k < 3; k++) {
        const o = i * 9 + k * 3;
        lines.push(`      vertex ${fmt32(t[o]!)} ${fmt32(t[o + 1]!)} ${fmt32(t[o + 2]!)}`);
      }
      lines.push('    endloop', '  endfacet');
    }
    lines.push(`endsolid part${s}`);
  }
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** Indexes the soup: unique vertices (exact float32 equality) + 0-based triangle indices. */
export function indexTris(t: Tris): { verts: number[]; indices: number[] } {
  const map = new Map<string, number>();
  const verts: number[] = [];
  const indices: number[] = [];
  for (let i = 0; i < t.length; i += 3) {
    const key = `${t[i]! + 0},${t[i + 1]! + 0},${t[i + 2]! + 0}`;
    let id = map.get(key);
    if (id === undefined) {
      id = verts.length / 3;
      map.set(key, id);
      verts.push(t[i]!, t[i + 1]!, t[i + 2]!);
    }
    indices.push(id);
  }
  return { verts, indices };
}

export function toObj(t: Tris): Uint8Array {
  const { verts, indices } = indexTris(t);
  const lines = ['# fabline synthetic OBJ', 'o part'];
  for (let i = 0; i < verts.length; i += 3) lines.push(`v ${fmt32(verts[i]!)} ${fmt32(verts[i + 1]!)} ${fmt32(verts[i + 2]!)}`);
  for (let i = 0; i < indices.length; i += 3) lines.push(`f ${indices[i]! + 1} ${indices[i + 1]! + 1} ${indices[i + 2]! + 1}`);
  return new TextEncoder().encode(`${lines.join('\n')}\n`);
}

/** 3MF package; coordinates (mm) are written in `unit`. */
export function to3mf(t: Tris, unit: keyof typeof UNIT_TO_MM | string = 'millimeter'): Uint8Array {
  const f = UNIT_TO_MM[unit];
  if (f === undefined) throw new Error(`unknown unit ${unit}`);
  const { verts, indices } = indexTris(t);
  const parts: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<model unit="${unit}" xml:lang="en-US" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02">`,
    '<resources><object id="1" type="model"><mesh><vertices>',
  ];
  for (let i = 0; i < verts.length; i += 3) {
    parts.push(`<vertex x="${verts[i]! / f}" y="${verts[i + 1]! / f}" z="${verts[i + 2]! / f}"/>`);
  }
  parts.push('</vertices><triangles>');
  for (let i = 0; i < indices.length; i += 3) {
    parts.push(`<triangle v1="${indices[i]}" v2="${indices[i + 1]}" v3="${indices[i + 2]}"/>`);
  }
  parts.push('</triangles></mesh></object></resources><build><item objectid="1"/></build></model>');
  const enc = new TextEncoder();
  return zipSync({
    '[Content_Types].xml': enc.encode(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="model" ContentType="application/vnd.ms-package.3dmanufacturing-3dmodel+xml"/></Types>',
    ),
    '_rels/.rels': enc.encode(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Target="/3D/3dmodel.model" Id="rel0" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>',
    ),
    '3D/3dmodel.model': enc.encode(parts.join('\n')),
  });
}
