import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { analyzeMesh, detectFormat, GeometryError, type GeometryErrorReason } from './index.ts';
import { cube, to3mf, toAsciiStl, toBinaryStl, toObj, torus } from './synthetic.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function reasonOf(bytes: Uint8Array, maxTriangles?: number): GeometryErrorReason | 'NO_ERROR' {
  try {
    analyzeMesh(bytes, maxTriangles === undefined ? {} : { maxTriangles });
    return 'NO_ERROR';
  } catch (e) {
    if (!(e instanceof GeometryError)) throw e;
    expect(e.message.length).toBeGreaterThan(20);
    return e.reason;
  }
}

function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let x = seed >>> 0;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}

function setU32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setUint32(at, v, true);
  return c;
}

function setF32(b: Uint8Array, at: number, v: number): Uint8Array {
  const c = Uint8Array.from(b);
  new DataView(c.buffer).setFloat32(at, v, true);
  return c;
}

/** Rewrites the uncompressed size of every central-directory entry (a lying zip). */
function fakeUncompressedSize(zip: Uint8Array, size: number): Uint8Array {
  const c = Uint8Array.from(zip);
  const dv = new DataView(c.buffer);
  for (let i = 0; i + 4 <= c.length; i++) if (dv.getUint32(i, true) === 0x02014b50) dv.setUint32(i + 24, size, true);
  return c;
}

const binCube = toBinaryStl(cube(10));
const model3mf = (body: string): Uint8Array =>
  enc(`<?xml version="1.0"?><model unit="millimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources>${body}</resources></model>`);

describe('bad input raises GeometryError with the right reason', () => {
  it.each<[string, () => Uint8Array, GeometryErrorReason, number?]>([
    ['empty file', () => new Uint8Array(0), 'EMPTY'],
    ['binary STL with zero triangles', () => toBinaryStl(new Float32Array(0)), 'EMPTY'],
    ['ASCII STL without facets', () => enc('solid empty\nendsolid empty\n'), 'EMPTY'],
    ['OBJ with vertices only', () => enc('v 0 0 0\nv 1 0 0\nv 0 1 0\n'), 'EMPTY'],
    ['3MF without triangles', () => zipSync({ '3D/3dmodel.model': model3mf('<object id="1"><mesh><vertices/><triangles/></mesh></object>') }), 'EMPTY'],
    ['binary STL cut inside a triangle', () => binCube.subarray(0, binCube.length - 17), 'TRUNCATED'],
    ['binary STL cut inside the header', () => toBinaryStl(cube(10), 'solid cube').subarray(0, 60), 'TRUNCATED'],
    [
      'ASCII STL cut inside a facet',
      () => {
        const a = toAsciiStl(cube(10));
        return a.subarray(0, Math.floor(a.length * 0.6));
      },
      'TRUNCATED',
    ],
    ['ASCII STL without endsolid', () => enc(new TextDecoder().decode(toAsciiStl(cube(10))).replace(/endsolid.*\n$/, '')), 'TRUNCATED'],
    [
      '3MF cut in half',
      () => {
        const z = to3mf(cube(10));
        return z.subarray(0, z.length >> 1);
      },
      'TRUNCATED',
    ],
    ['header count lower than the data', () => setU32(binCube, 80, 11), 'COUNT_MISMATCH'],
    ['header count higher than the whole records present', () => setU32(binCube, 80, 13), 'COUNT_MISMATCH'],
    ['extra bytes after the triangles', () => Uint8Array.from([...binCube, 1, 2, 3]), 'COUNT_MISMATCH'],
    ['NaN coordinate (binary)', () => setF32(binCube, 84 + 50 * 5 + 12 + 4, Number.NaN), 'NON_FINITE'],
    ['Infinity coordinate (binary)', () => setF32(binCube, 84 + 50 * 11 + 12 + 32, Number.POSITIVE_INFINITY), 'NON_FINITE'],
    ['nan in ASCII STL', () => enc(new TextDecoder().decode(toAsciiStl(cube(10))).replace(/vertex 10 /, 'vertex nan ')), 'NON_FINITE'],
    ['inf in OBJ', () => enc('v 0 0 0\nv 1 0 inf\nv 0 1 0\nf 1 2 3\n'), 'NON_FINITE'],
    ['absurd claimed count', () => setU32(binCube, 80, 4_000_000_000), 'TOO_MANY_TRIANGLES'],
    ['binary over maxTriangles', () => toBinaryStl(torus(10, 2, 16, 8)), 'TOO_MANY_TRIANGLES', 100],
    ['ASCII over maxTriangles', () => toAsciiStl(torus(10, 2, 16, 8)), 'TOO_MANY_TRIANGLES', 100],
    ['OBJ over maxTriangles', () => toObj(torus(10, 2, 16, 8)), 'TOO_MANY_TRIANGLES', 100],
    ['3MF over maxTriangles', () => to3mf(torus(10, 2, 16, 8)), 'TOO_MANY_TRIANGLES', 100],
    ['random bytes', () => seededBytes(10_000, 12345), 'NOT_A_MESH'],
    ['random bytes, STL-sized', () => seededBytes(84 + 50 * 40 + 7, 99), 'NOT_A_MESH'],
    ['short random bytes', () => seededBytes(40, 7), 'NOT_A_MESH'],
    ['a text file renamed .stl', () => enc('Dear customer,\nplease find attached the drawing.\n'), 'NOT_A_MESH'],
    ['a PNG renamed .stl', () => Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, ...seededBytes(3000, 5)]), 'NOT_A_MESH'],
    ['a zip that is not a 3MF', () => zipSync({ 'readme.txt': enc('hello') }), 'NOT_A_MESH'],
    ['zip with a lying 600 MB size', () => fakeUncompressedSize(to3mf(cube(10)), 600 * 1024 * 1024), 'ZIP_BOMB'],
    ['zip with a 1000:1 entry', () => zipSync({ '3D/3dmodel.model': new Uint8Array(20 * 1024 * 1024) }), 'ZIP_BOMB'],
    ['zip entry with ..', () => zipSync({ '../../evil.model': enc('x'), '3D/3dmodel.model': model3mf('') }), 'UNSAFE_PATH'],
    ['zip entry with an absolute path', () => zipSync({ '/etc/passwd': enc('x') }), 'UNSAFE_PATH'],
    [
      'rels target escaping the package',
      () =>
        zipSync({
          '_rels/.rels': enc(
            '<Relationships><Relationship Target="/../../etc/passwd" Id="r" Type="http://schemas.microsoft.com/3dmanufacturing/2013/01/3dmodel"/></Relationships>',
          ),
        }),
      'UNSAFE_PATH',
    ],
    ['OBJ face index out of range', () => enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 9\n'), 'MALFORMED'],
    ['OBJ face index 0', () => enc('v 0 0 0\nv 1 0 0\nv 0 1 0\nf 0 1 2\n'), 'MALFORMED'],
    ['ASCII STL with garbage', () => enc('solid x\nfacet normal 0 0 1\nouter loop\nvertex 1 2 banana\n'), 'MALFORMED'],
    [
      '3MF triangle index out of range',
      () =>
        zipSync({
          '3D/3dmodel.model': model3mf(
            '<object id="1"><mesh><vertices><vertex x="0" y="0" z="0"/></vertices><triangles><triangle v1="0" v2="1" v3="2"/></triangles></mesh></object>',
          ),
        }),
      'MALFORMED',
    ],
    ['3MF unknown unit', () => zipSync({ '3D/3dmodel.model': enc('<model unit="furlong"></model>') }), 'MALFORMED'],
    [
      '3MF component cycle',
      () =>
        zipSync({
          '3D/3dmodel.model': model3mf(
            '<object id="1"><components><component objectid="2"/></components></object><object id="2"><components><component objectid="1"/></components></object>',
          ),
        }),
      'MALFORMED',
    ],
  ])('%s', (_name, make, reason, max) => {
    expect(reasonOf(make(), max)).toBe(reason);
  });

  it('detectFormat never trusts a filename and rejects non-meshes', () => {
    expect(detectFormat(toBinaryStl(cube(1), 'solid but binary'))).toBe('STL_BINARY');
    expect(detectFormat(toAsciiStl(cube(1)))).toBe('STL_ASCII');
    expect(() => detectFormat(enc('just some words'))).toThrow(GeometryError);
  });

  it('many random inputs never crash or hang', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const b = seededBytes(seed * 37, seed);
      const r = reasonOf(b);
      expect(r).not.toBe('NO_ERROR');
    }
    // truncations of every format at many points
    const inputs = [binCube, toAsciiStl(cube(10)), toObj(cube(10)), to3mf(cube(10))];
    for (const src of inputs) {
      for (let cut = 1; cut < src.length; cut += Math.max(1, Math.floor(src.length / 97))) {
        const r = reasonOf(src.subarray(0, cut));
        expect(typeof r).toBe('string');
      }
    }
  });
});
