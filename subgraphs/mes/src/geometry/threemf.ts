import { fail } from './errors.ts';
import { parseNumber, SoupBuilder } from './text.ts';
import type { TriangleSoup } from './types.ts';
import { TAG_CLOSE, TAG_OPEN, TAG_SELF, XmlScanner } from './xml.ts';
import { partToEntry, safeUnzip } from './zip.ts';

/** Millimetres per 3MF unit. */
export const UNIT_TO_MM: Record<string, number> = {
  micron: 0.001,
  millimeter: 1,
  centimeter: 10,
  inch: 25.4,
  foot: 304.8,
  meter: 1000,
};

const w = (s: string): Uint8Array => new TextEncoder().encode(s);
const T = {
  model: w('model'),
  unit: w('unit'),
  object: w('object'),
  id: w('id'),
  vertex: w('vertex'),
  triangle: w('triangle'),
  component: w('component'),
  item: w('item'),
  objectid: w('objectid'),
  transform: w('transform'),
  x: w('x'),
  y: w('y'),
  z: w('z'),
  v1: w('v1'),
  v2: w('v2'),
  v3: w('v3'),
  relationship: w('Relationship'),
  type: w('Type'),
  target: w('Target'),
};

const MAX_INSTANCES = 1_000_000;

type Mat = Float64Array; // 12 entries, 3MF row-vector order m00 m01 m02 m10 ... m32
interface Part {
  objectId: string;
  transform: Mat | null;
}
interface Obj3mf {
  verts: Float64Array;
  vcount: number;
  tris: Int32Array;
  tcount: number;
  components: Part[];
}

export function parse3mf(bytes: Uint8Array, maxTriangles: number): TriangleSoup {
  const rels = safeUnzip(bytes, (n) => n.toLowerCase() === '_rels/.rels');
  let entry = '3D/3dmodel.model';
  const relsXml = [...rels.values()][0];
  if (relsXml) {
    const sc = new XmlScanner(relsXml);
    while (sc.next()) {
      if (sc.kind === TAG_CLOSE || !sc.nameIs(T.relationship)) continue;
      const type = sc.attrString(T.type) ?? '';
      const target = sc.attrString(T.target);
      if (target && type.endsWith('/3dmodel')) {
        entry = partToEntry(target);
        break;
      }
    }
  }
  const files = safeUnzip(bytes, (n) => n.toLowerCase() === entry.toLowerCase());
  const model = [...files.values()][0];
  if (!model) throw fail.notAMesh(`it is a zip archive without a 3MF model (${entry})`);
  return parseModelXml(model, maxTriangles);
}

function growF64(a: Float64Array, need: number): Float64Array {
  if (need <= a.length) return a;
  const b = new Float64Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}
function growI32(a: Int32Array, need: number): Int32Array {
  if (need <= a.length) return a;
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

function parseTransform(s: string | undefined): Mat | null {
  if (s === undefined) return null;
  const parts = s.trim().split(/\s+/).map(Number);
  if (parts.length !== 12 || !parts.every(Number.isFinite)) throw fail.malformed(`invalid 3MF transform "${s.slice(0, 80)}"`);
  return Float64Array.from(parts);
}

/** Apply `a` first, then `b`. */
function compose(a: Mat | null, b: Mat | null): Mat | null {
  if (!a) return b;
  if (!b) return a;
  const c = new Float64Array(12);
  for (let r = 0; r < 4; r++) {
    for (let col = 0; col < 3; col++) {
      let v = r === 3 ? b[9 + col]! : 0;
      for (let k = 0; k < 3; k++) v += a[r * 3 + k]! * b[k * 3 + col]!;
      c[r * 3 + col] = v;
    }
  }
  return c;
}

export function parseModelXml(xml: Uint8Array, maxTriangles: number): TriangleSoup {
  const sc = new XmlScanner(xml);
  const b = xml;
  const objects = new Map<string, Obj3mf>();
  const items: Part[] = [];
  let unit = 1;
  let cur: Obj3mf | null = null;
  let curId = '';
  let total = 0;
  const num = (word: Uint8Array, what: string): number => {
    const i = sc.attr(word);
    if (i < 0) throw fail.malformed(`a 3MF <${what}> lacks its "${new TextDecoder().decode(word)}" attribute`);
    const v = parseNumber(b, sc.av0[i]!, sc.av1[i]!);
    if (!Number.isFinite(v)) {
      if (what === 'vertex') throw fail.nonFinite(cur ? cur.tcount : 0);
      throw fail.malformed(`a 3MF <${what}> has a non-numeric "${new TextDecoder().decode(word)}"`);
    }
    return v;
  };
  while (sc.next()) {
    const open = sc.kind === TAG_OPEN || sc.kind === TAG_SELF;
    if (open && cur && sc.nameIs(T.vertex)) {
      cur.verts = growF64(cur.verts, cur.vcount * 3 + 3);
      const o = cur.vcount * 3;
      cur.verts[o] = num(T.x, 'vertex');
      cur.verts[o + 1] = num(T.y, 'vertex');
      cur.verts[o + 2] = num(T.z, 'vertex');
      cur.vcount++;
    } else if (open && cur && sc.nameIs(T.triangle)) {
      if (++total > maxTriangles) throw fail.tooMany(total, maxTriangles);
      cur.tris = growI32(cur.tris, cur.tcount * 3 + 3);
      const o = cur.tcount * 3;
      for (let k = 0; k < 3; k++) {
        const v = num(k === 0 ? T.v1 : k === 1 ? T.v2 : T.v3, 'triangle');
        if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw fail.malformed('a 3MF triangle has an invalid vertex index');
        cur.tris[o + k] = v;
      }
      cur.tcount++;
    } else if (sc.nameIs(T.object)) {
      if (open) {
        curId = sc.attrString(T.id) ?? '';
        cur = { verts: new Float64Array(3 * 256), vcount: 0, tris: new Int32Array(3 * 256), tcount: 0, components: [] };
        if (sc.kind === TAG_SELF) cur = null;
      } else if (cur) {
        objects.set(curId, cur);
        cur = null;
      }
    } else if (open && cur && sc.nameIs(T.component)) {
      cur.components.push({ objectId: sc.attrString(T.objectid) ?? '', transform: parseTransform(sc.attrString(T.transform)) });
    } else if (open && sc.nameIs(T.item)) {
      items.push({ objectId: sc.attrString(T.objectid) ?? '', transform: parseTransform(sc.attrString(T.transform)) });
    } else if (open && sc.nameIs(T.model)) {
      const u = sc.attrString(T.unit) ?? 'millimeter';
      const f = UNIT_TO_MM[u];
      if (f === undefined) throw fail.malformed(`unknown 3MF unit "${u.slice(0, 40)}"`);
      unit = f;
    }
  }
  if (cur) throw fail.truncated('the 3MF model XML ends inside an <object>');
  const roots = items.length > 0 ? items : [...objects.keys()].map((objectId) => ({ objectId, transform: null }));

  // Count first (memoised, cycle-safe) so nested components cannot explode.
  const memo = new Map<string, [number, number]>(); // [triangles, instances]
  const visiting = new Set<string>();
  const count = (id: string): [number, number] => {
    const known = memo.get(id);
    if (known !== undefined) return known;
    const o = objects.get(id);
    if (!o) throw fail.malformed(`the 3MF build refers to a missing object (id "${id.slice(0, 40)}")`);
    if (visiting.has(id)) throw fail.malformed('the 3MF components form a cycle');
    visiting.add(id);
    const c: [number, number] = [o.tcount, 1];
    for (const p of o.components) {
      const [t, i] = count(p.objectId);
      c[0] += t;
      c[1] += i;
      if (c[0] > maxTriangles) throw fail.tooMany(c[0], maxTriangles);
      if (c[1] > MAX_INSTANCES) throw fail.malformed('the 3MF components are nested too many times');
    }
    visiting.delete(id);
    memo.set(id, c);
    return c;
  };
  let n = 0;
  let instances = 0;
  for (const r of roots) {
    const [t, i] = count(r.objectId);
    n += t;
    instances += i;
    if (n > maxTriangles) throw fail.tooMany(n, maxTriangles);
    if (instances > MAX_INSTANCES) throw fail.malformed('the 3MF build has too many object instances');
  }
  if (n === 0) throw fail.empty('The 3MF model');
  const out = new SoupBuilder(n, maxTriangles);
  out.ensure(n * 9);
  const emit = (id: string, m: Mat | null): void => {
    const o = objects.get(id)!;
    emitMesh(o, m, unit, out);
    for (const p of o.components) emit(p.objectId, compose(p.transform, m));
  };
  for (const r of roots) emit(r.objectId, r.transform);
  return out.finish();
}

function emitMesh(o: Obj3mf, m: Mat | null, unit: number, out: SoupBuilder): void {
  const d = out.data;
  const v = o.verts;
  // A mirroring transform flips the orientation; swap two corners to keep outward normals.
  const det = m ? m[0]! * (m[4]! * m[8]! - m[5]! * m[7]!) - m[1]! * (m[3]! * m[8]! - m[5]! * m[6]!) + m[2]! * (m[3]! * m[7]! - m[4]! * m[6]!) : 1;
  for (let t = 0; t < o.tcount; t++) {
    for (let k = 0; k < 3; k++) {
      const idx = o.tris[t * 3 + (det < 0 && k > 0 ? 3 - k : k)]!;
      if (idx >= o.vcount) throw fail.malformed(`a 3MF triangle refers to vertex ${idx} but the object has ${o.vcount} vertices`);
      let x = v[idx * 3]!;
      let y = v[idx * 3 + 1]!;
      let z = v[idx * 3 + 2]!;
      if (m) {
        const tx = x * m[0]! + y * m[3]! + z * m[6]! + m[9]!;
        const ty = x * m[1]! + y * m[4]! + z * m[7]! + m[10]!;
        const tz = x * m[2]! + y * m[5]! + z * m[8]! + m[11]!;
        x = tx;
        y = ty;
        z = tz;
      }
      const p = out.length;
      d[p] = x * unit;
      d[p + 1] = y * unit;
      d[p + 2] = z * unit;
      out.length = p + 3;
    }
  }
}
