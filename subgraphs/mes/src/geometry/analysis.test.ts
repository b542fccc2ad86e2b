import { describe, expect, it } from 'vitest';
import { analyzeMesh, BinaryStlStream, detectFormat, parseBinaryStl } from './index.ts';
import { measureBinaryStl } from './stl-binary.ts';
import { concat, cube, flipWinding, scale, to3mf, toAsciiStl, toBinaryStl, toObj, torus, translate, uvSphere } from './synthetic.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('cube', () => {
  it('10 mm cube: volume, area, bbox, topology', () => {
    const a = analyzeMesh(toBinaryStl(cube(10)));
    expect(a.format).toBe('STL_BINARY');
    expect(a.triangleCount).toBe(12);
    expect(a.volumeMm3).toBe(1000);
    expect(a.signedVolumeMm3).toBe(1000);
    expect(a.surfaceAreaMm2).toBe(600);
    expect(a.bbox).toEqual({ min: [0, 0, 0], max: [10, 10, 10] });
    expect(a.watertight).toBe(true);
    expect(a.manifold).toBe(true);
    expect(a.consistentWinding).toBe(true);
    expect(a.invertedNormals).toBe(false);
    expect(a.shells).toBe(1);
    expect(a.degenerateFaces).toBe(0);
    expect(a.geometryHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('open cube (one face removed) is not watertight', () => {
    const a = analyzeMesh(toBinaryStl(cube(10).slice(0, 10 * 9)));
    expect(a.triangleCount).toBe(10);
    expect(a.watertight).toBe(false);
    expect(a.manifold).toBe(true);
    expect(a.consistentWinding).toBe(true);
  });

  it('inverted cube: invertedNormals, negative signed volume, positive volume', () => {
    const a = analyzeMesh(toBinaryStl(flipWinding(cube(10))));
    expect(a.invertedNormals).toBe(true);
    expect(a.signedVolumeMm3).toBe(-1000);
    expect(a.volumeMm3).toBe(1000);
    expect(a.watertight).toBe(true);
    expect(a.consistentWinding).toBe(true);
  });

  it('two disjoint cubes: 2 shells, volumes add up', () => {
    const a = analyzeMesh(toBinaryStl(concat(cube(10), translate(cube(10), 20, 0, 0))));
    expect(a.shells).toBe(2);
    expect(a.volumeMm3).toBe(2000);
    expect(a.watertight).toBe(true);
    expect(a.bbox.max).toEqual([30, 10, 10]);
  });

  it('one flipped face: consistentWinding false (still watertight)', () => {
    const a = analyzeMesh(toBinaryStl(flipWinding(cube(10), 3)));
    expect(a.consistentWinding).toBe(false);
    expect(a.watertight).toBe(true);
  });

  it('cubes touching at one vertex: watertight but not manifold', () => {
    const a = analyzeMesh(toBinaryStl(concat(cube(10), translate(cube(10), 10, 10, 10))));
    expect(a.watertight).toBe(true);
    expect(a.manifold).toBe(false);
    expect(a.shells).toBe(1);
  });

  it('duplicated face: edges shared by more than two faces are non-manifold', () => {
    const c = cube(10);
    const a = analyzeMesh(toBinaryStl(concat(c, c.slice(0, 9))));
    expect(a.manifold).toBe(false);
    expect(a.watertight).toBe(false);
  });

  it('counts zero-area faces', () => {
    const degenerate = new Float32Array([0, 0, 0, 1, 1, 1, 2, 2, 2]);
    const a = analyzeMesh(toBinaryStl(concat(cube(10), degenerate)));
    expect(a.degenerateFaces).toBe(1);
    expect(a.volumeMm3).toBe(1000);
  });
});

describe('curved solids', () => {
  // An inscribed regular N-gon loses a fraction ~ (2pi/N)^2/6 of the circle's area;
  // the tolerance below doubles that bound in each direction.
  const relTol = (...ns: number[]): number => ns.reduce((s, n) => s + ((2 * Math.PI) / n) ** 2 / 3, 0);

  it('sphere volume/area within tessellation error, finer is closer', () => {
    const r = 10;
    const vol = (4 / 3) * Math.PI * r ** 3;
    const area = 4 * Math.PI * r ** 2;
    const coarse = analyzeMesh(toBinaryStl(uvSphere(r, 32, 16)));
    const fine = analyzeMesh(toBinaryStl(uvSphere(r, 128, 64)));
    for (const [a, seg, rings] of [
      [coarse, 32, 16],
      [fine, 128, 64],
    ] as const) {
      expect(a.watertight).toBe(true);
      expect(a.shells).toBe(1);
      expect(a.volumeMm3).toBeLessThan(vol); // inscribed convex polyhedron
      expect(Math.abs(a.volumeMm3 - vol) / vol).toBeLessThan(relTol(seg, 2 * rings));
      expect(Math.abs(a.surfaceAreaMm2 - area) / area).toBeLessThan(relTol(seg, 2 * rings));
    }
    expect(Math.abs(fine.volumeMm3 - vol)).toBeLessThan(Math.abs(coarse.volumeMm3 - vol) / 4);
    expect(Math.abs(fine.surfaceAreaMm2 - area)).toBeLessThan(Math.abs(coarse.surfaceAreaMm2 - area) / 4);
  });

  it('torus volume/area within tessellation error, finer is closer', () => {
    const [R, r] = [30, 8];
    const vol = 2 * Math.PI ** 2 * R * r ** 2;
    const area = 4 * Math.PI ** 2 * R * r;
    const coarse = analyzeMesh(toBinaryStl(torus(R, r, 48, 24)));
    const fine = analyzeMesh(toBinaryStl(torus(R, r, 192, 96)));
    for (const [a, u, v] of [
      [coarse, 48, 24],
      [fine, 192, 96],
    ] as const) {
      expect(a.watertight && a.manifold && a.consistentWinding).toBe(true);
      expect(a.triangleCount).toBe(2 * u * v);
      expect(Math.abs(a.volumeMm3 - vol) / vol).toBeLessThan(relTol(u, v));
      expect(Math.abs(a.surfaceAreaMm2 - area) / area).toBeLessThan(relTol(u, v));
    }
    expect(Math.abs(fine.volumeMm3 - vol)).toBeLessThan(Math.abs(coarse.volumeMm3 - vol) / 4);
  });
});

describe('same solid in every format', () => {
  const t = torus(25, 6, 64, 32);
  const reference = analyzeMesh(toBinaryStl(t));
  const strip = (a: ReturnType<typeof analyzeMesh>) => ({ ...a, format: undefined });

  it.each([
    ['ASCII STL', toAsciiStl(t), 'STL_ASCII'],
    ['ASCII STL, 3 solid blocks', toAsciiStl(t, 3), 'STL_ASCII'],
    ['binary with a "solid" header', toBinaryStl(t, 'solid torus exported by a sloppy tool'), 'STL_BINARY'],
    ['binary with other header and attribute bytes', toBinaryStl(t, new Uint8Array(80).fill(0xab), 0x7c1f), 'STL_BINARY'],
    ['OBJ', toObj(t), 'OBJ'],
    ['3MF (mm)', to3mf(t, 'millimeter'), '3MF'],
    ['3MF (cm)', to3mf(t, 'centimeter'), '3MF'],
    ['3MF (inch)', to3mf(t, 'inch'), '3MF'],
  ] as const)('%s: identical analysis and hash', (_name, bytes, format) => {
    expect(detectFormat(bytes)).toBe(format);
    const a = analyzeMesh(bytes);
    expect(a.format).toBe(format);
    expect(strip(a)).toEqual(strip(reference));
  });

  it('triangle order and rotation do not change the hash; other solids do', () => {
    const n = t.length / 9;
    const shuffled = new Float32Array(t.length);
    for (let i = 0; i < n; i++) {
      const src = ((i * 7919) % n) * 9;
      const rot = i % 3;
      for (let v = 0; v < 3; v++) shuffled.set(t.subarray(src + ((v + rot) % 3) * 3, src + ((v + rot) % 3) * 3 + 3), i * 9 + v * 3);
    }
    const a = analyzeMesh(toBinaryStl(shuffled));
    expect(a.geometryHash).toBe(reference.geometryHash);
    expect(a.volumeMm3).toBeCloseTo(reference.volumeMm3, 6);
    const bigger = analyzeMesh(toBinaryStl(torus(26, 6, 64, 32)));
    expect(bigger.geometryHash).not.toBe(reference.geometryHash);
    const mirrored = analyzeMesh(toBinaryStl(flipWinding(t)));
    expect(mirrored.geometryHash).not.toBe(reference.geometryHash);
  });

  it('3MF with scaled coordinates in cm matches the mm solid', () => {
    const cm = analyzeMesh(to3mf(scale(cube(10), 1), 'centimeter'));
    expect(cm.volumeMm3).toBe(1000);
    expect(cm.bbox.max).toEqual([10, 10, 10]);
  });
});

describe('format details', () => {
  it('OBJ with v/vt/vn, negative indices, quads and comments', () => {
    const obj = enc(
      [
        '# cube as quads',
        'mtllib x.mtl',
        'o cube',
        'v 0 0 0',
        'v 10 0 0',
        'v 0 10 0',
        'v 10 10 0',
        'v 0 0 10',
        'v 10 0 10',
        'v 0 10 10',
        'v 10 10 10',
        'vt 0 0',
        'vn 0 0 1',
        'usemtl m',
        's off',
        'f 1/1/1 3/1/1 4/1/1 2/1/1',
        'f 5//1 6//1 8//1 7//1',
        'f -8 -7 -3 -4',
        'f 3/1 7/1 8/1 4/1',
        'f 1 5 7 3',
        'f 2 4 8 6',
      ].join('\n'),
    );
    const a = analyzeMesh(obj);
    expect(a.format).toBe('OBJ');
    expect(a.triangleCount).toBe(12);
    expect(a.volumeMm3).toBe(1000);
    expect(a.watertight && a.consistentWinding).toBe(true);
    expect(a.geometryHash).toBe(analyzeMesh(toBinaryStl(cube(10))).geometryHash);
  });

  it('3MF build item transform and components', () => {
    const model = (body: string) =>
      `<?xml version="1.0"?><model unit="millimeter" xmlns="http://schemas.microsoft.com/3dmanufacturing/core/2015/02"><resources>${body}</resources>`;
    const { zipSync } = require('fflate') as typeof import('fflate');
    const mesh = new TextDecoder().decode(to3mf(cube(10))).length; // ensure writer works
    expect(mesh).toBeGreaterThan(0);
    const verts = [0, 1].flatMap((z) => [0, 1].flatMap((y) => [0, 1].map((x) => `<vertex x="${x * 10}" y="${y * 10}" z="${z * 10}"/>`))).join('');
    const tris = [0, 2, 3, 0, 3, 1, 4, 5, 7, 4, 7, 6, 0, 1, 5, 0, 5, 4, 2, 6, 7, 2, 7, 3, 0, 4, 6, 0, 6, 2, 1, 3, 7, 1, 7, 5];
    const triXml = Array.from({ length: 12 }, (_, i) => `<triangle v1="${tris[i * 3]}" v2="${tris[i * 3 + 1]}" v3="${tris[i * 3 + 2]}"/>`).join('');
    const xml = `${model(`<object id="1"><mesh><vertices>${verts}</vertices><triangles>${triXml}</triangles></mesh></object><object id="2"><components><component objectid="1"/><component objectid="1" transform="1 0 0 0 1 0 0 0 1 20 0 0"/></components></object>`)}<build><item objectid="2" transform="2 0 0 0 2 0 0 0 2 0 0 5"/></build></model>`;
    const bytes = zipSync({ '3D/3dmodel.model': enc(xml) });
    const a = analyzeMesh(bytes);
    expect(a.triangleCount).toBe(24);
    expect(a.volumeMm3).toBe(16000);
    expect(a.shells).toBe(2);
    expect(a.bbox).toEqual({ min: [0, 0, 5], max: [60, 20, 25] });
  });

  it('streaming binary reader matches the one-shot parser for any chunking', () => {
    const bytes = toBinaryStl(torus(20, 5, 40, 20));
    const whole = parseBinaryStl(bytes);
    for (const size of [1, 7, 50, 83, 4096]) {
      const s = new BinaryStlStream();
      for (let o = 0; o < bytes.length; o += size) s.push(bytes.subarray(o, o + size));
      const r = s.finish();
      expect(r.stats).toEqual(whole.stats);
      expect(r.positions).toEqual(whole.positions);
    }
    const m = measureBinaryStl(bytes);
    expect(m.signedVolume).toBe(whole.stats.signedVolume);
    expect(m.area).toBe(whole.stats.area);
  });

  it('works on unaligned views of a larger buffer', () => {
    const bytes = toBinaryStl(cube(10));
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    expect(analyzeMesh(big.subarray(3)).volumeMm3).toBe(1000);
  });
});
