import { ModelParseError } from './model-parse-error.ts';
import { type ParsedModel, TriangleSoup } from './triangle-soup.ts';
import { readZip, type ZipEntry } from './unzip.ts';

/** 3MF's row-major 4x3 matrix: x' = x*m00 + y*m10 + z*m20 + m30, and so on. */
type Transform = readonly number[];

interface MeshObject {
  vertices: number[];
  triangles: number[];
  components: { objectId: string; path: string | undefined; transform: Transform }[];
}

interface ModelPart {
  scale: number;
  objects: Map<string, MeshObject>;
  items: { objectId: string; path: string | undefined; transform: Transform }[];
}

const IDENTITY: Transform = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0];
const UNIT_TO_MM: Record<string, number> = { micron: 0.001, millimeter: 1, centimeter: 10, inch: 25.4, foot: 304.8, meter: 1000 };
const MAX_DEPTH = 32;

/**
 * Parses a 3MF package: the root model named by `_rels/.rels`, its build items with their
 * transforms and components (also those in other model parts of the production extension),
 * converted to millimetres from the model's `unit`.
 */
export async function parse3mf(bytes: Uint8Array): Promise<ParsedModel> {
  if (bytes.byteLength === 0) throw new ModelParseError('empty', 'The file is empty.');
  const entries = readZip(bytes);
  const rootPath = await findRootModel(entries);
  const parts = new Map<string, Promise<ModelPart>>();
  const loadPart = (path: string): Promise<ModelPart> => {
    let part = parts.get(path);
    if (!part) {
      const entry = entries.get(path);
      if (!entry) throw new ModelParseError('malformed', `The 3MF package has no part ${path}.`);
      part = entry.read().then((data) => parseModelXml(new TextDecoder().decode(data)));
      parts.set(path, part);
    }
    return part;
  };
  const root = await loadPart(rootPath);
  const soup = new TriangleSoup();
  const emit = async (partPath: string, objectId: string, transform: Transform, depth: number): Promise<void> => {
    if (depth > MAX_DEPTH) throw new ModelParseError('malformed', 'The 3MF components nest too deep (a cycle?).');
    const part = await loadPart(partPath);
    const object = part.objects.get(objectId);
    if (!object) throw new ModelParseError('malformed', `A 3MF build item or component refers to object ${objectId}, which is not defined.`);
    addMesh(soup, object, transform);
    for (const c of object.components) await emit(c.path ?? partPath, c.objectId, compose(c.transform, transform), depth + 1);
  };
  // The root model's unit applies to the whole package: scale last, after every transform.
  const toMm = scaleTransform(root.scale);
  for (const item of root.items) await emit(item.path ?? rootPath, item.objectId, compose(item.transform, toMm), 0);
  return soup.finish();
}

async function findRootModel(entries: Map<string, ZipEntry>): Promise<string> {
  const rels = entries.get('_rels/.rels');
  if (rels) {
    const text = new TextDecoder().decode(await rels.read());
    for (const tag of scanTags(text)) {
      if (tag.name === 'Relationship' && /3dmodel$/i.test(tag.attrs.Type ?? '') && tag.attrs.Target) {
        return normalisePath(tag.attrs.Target);
      }
    }
  }
  if (entries.has('3D/3dmodel.model')) return '3D/3dmodel.model';
  for (const name of entries.keys()) if (name.toLowerCase().endsWith('.model')) return name;
  throw new ModelParseError('malformed', 'The zip holds no 3MF model part.');
}

function normalisePath(path: string): string {
  return path.replace(/^\/+/, '');
}

function parseModelXml(text: string): ModelPart {
  const part: ModelPart = { scale: 1, objects: new Map(), items: [] };
  let current: MeshObject | undefined;
  for (const tag of scanTags(text)) {
    if (tag.closing) {
      if (tag.name === 'object') current = undefined;
      continue;
    }
    const a = tag.attrs;
    switch (tag.name) {
      case 'vertex': {
        if (!current) break;
        const x = Number(a.x);
        const y = Number(a.y);
        const z = Number(a.z);
        if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
          throw new ModelParseError('malformed', 'A 3MF vertex needs numeric x, y and z.');
        }
        current.vertices.push(x, y, z);
        break;
      }
      case 'triangle': {
        if (!current) break;
        current.triangles.push(Number(a.v1), Number(a.v2), Number(a.v3));
        break;
      }
      case 'object': {
        if (!a.id) throw new ModelParseError('malformed', 'A 3MF object has no id.');
        current = { vertices: [], triangles: [], components: [] };
        part.objects.set(a.id, current);
        if (tag.selfClosing) current = undefined;
        break;
      }
      case 'component': {
        if (!current || !a.objectid) break;
        current.components.push({ objectId: a.objectid, path: pathAttr(a), transform: parseTransform(a.transform) });
        break;
      }
      case 'item': {
        if (!a.objectid) break;
        part.items.push({ objectId: a.objectid, path: pathAttr(a), transform: parseTransform(a.transform) });
        break;
      }
      case 'model': {
        const unit = (a.unit ?? 'millimeter').toLowerCase();
        const scale = UNIT_TO_MM[unit];
        if (scale === undefined) throw new ModelParseError('malformed', `The 3MF unit "${unit}" is not one of ${Object.keys(UNIT_TO_MM).join(', ')}.`);
        part.scale = scale;
        break;
      }
    }
  }
  return part;
}

function pathAttr(attrs: Record<string, string>): string | undefined {
  for (const [key, value] of Object.entries(attrs)) if (key === 'path' || key.endsWith(':path')) return normalisePath(value);
  return undefined;
}

function parseTransform(value: string | undefined): Transform {
  if (!value) return IDENTITY;
  const m = value.trim().split(/\s+/).map(Number);
  if (m.length !== 12 || !m.every(Number.isFinite)) throw new ModelParseError('malformed', `A 3MF transform needs 12 numbers: "${value}".`);
  return m;
}

function scaleTransform(s: number): Transform {
  return [s, 0, 0, 0, s, 0, 0, 0, s, 0, 0, 0];
}

/** The transform that applies `first`, then `second`. */
export function compose(first: Transform, second: Transform): Transform {
  const a = first as number[];
  const b = second as number[];
  const r = new Array<number>(12);
  for (let row = 0; row < 4; row++) {
    for (let col = 0; col < 3; col++) {
      let v = row === 3 ? (b[9 + col] as number) : 0;
      for (let k = 0; k < 3; k++) v += (a[row * 3 + k] as number) * (b[k * 3 + col] as number);
      r[row * 3 + col] = v;
    }
  }
  return r;
}

function addMesh(soup: TriangleSoup, object: MeshObject, m: Transform): void {
  const v = object.vertices;
  const t = object.triangles;
  const count = v.length / 3;
  const p = new Float64Array(v.length);
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22, m30, m31, m32] = m as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  for (let i = 0; i < v.length; i += 3) {
    const x = v[i] as number;
    const y = v[i + 1] as number;
    const z = v[i + 2] as number;
    p[i] = x * m00 + y * m10 + z * m20 + m30;
    p[i + 1] = x * m01 + y * m11 + z * m21 + m31;
    p[i + 2] = x * m02 + y * m12 + z * m22 + m32;
  }
  for (let i = 0; i < t.length; i += 3) {
    const a = t[i] as number;
    const b = t[i + 1] as number;
    const c = t[i + 2] as number;
    if (!(a >= 0 && a < count && b >= 0 && b < count && c >= 0 && c < count && Number.isInteger(a + b + c))) {
      throw new ModelParseError('malformed', 'A 3MF triangle refers to a vertex that is not defined.');
    }
    soup.push(
      p[a * 3] as number,
      p[a * 3 + 1] as number,
      p[a * 3 + 2] as number,
      p[b * 3] as number,
      p[b * 3 + 1] as number,
      p[b * 3 + 2] as number,
      p[c * 3] as number,
      p[c * 3 + 1] as number,
      p[c * 3 + 2] as number,
    );
  }
}

interface Tag {
  /** Local name, without a namespace prefix. */
  name: string;
  closing: boolean;
  selfClosing: boolean;
  attrs: Record<string, string>;
}

const TAG = /<(\/?)([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^>]*?)(\/?)>/g;
const ATTR = /([A-Za-z_][\w:.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** A tag scanner: workers have no DOMParser, and 3MF needs only elements and attributes. */
function* scanTags(text: string): Generator<Tag> {
  for (const m of text.matchAll(TAG)) {
    const attrs: Record<string, string> = {};
    const raw = m[4] ?? '';
    if (raw.length > 0) for (const a of raw.matchAll(ATTR)) attrs[a[1] as string] = decodeEntities(a[2] ?? a[3] ?? '');
    yield { name: m[3] as string, closing: m[1] === '/', selfClosing: m[5] === '/', attrs };
  }
}

function decodeEntities(value: string): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[e] as string);
}
