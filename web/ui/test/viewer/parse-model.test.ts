import { describe, expect, it } from 'vitest';
import { inferFormat } from '../../src/viewer/model-format.ts';
import { ModelParseError } from '../../src/viewer/parse/model-parse-error.ts';
import { parseModel, sniffFormat } from '../../src/viewer/parse/parse-model.ts';
import { asciiStl, binaryStl, boxTriangles, objCube, threeMfCube, zip } from '../fixtures/models.ts';

const cube = boxTriangles([10, -5, 0], [30, 25, 40]);

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelParseError);
    return (error as ModelParseError).reason;
  }
  throw new Error('expected the parse to fail');
}

describe('parseModel', () => {
  it('reads a binary STL: triangle count, bounding box in mm, unit outward normals', async () => {
    const model = await parseModel(binaryStl(cube), 'stl');
    expect(model.triangles).toBe(12);
    expect(model.positions).toHaveLength(12 * 9);
    expect(model.box.min).toEqual({ x: 10, y: -5, z: 0 });
    expect(model.box.size).toEqual({ x: 20, y: 30, z: 40 });
    // The first triangle is the bottom face: its normal points down.
    expect(Array.from(model.normals.subarray(0, 3))).toEqual([0, 0, -1]);
    for (let i = 0; i < model.normals.length; i += 3) {
      expect(Math.hypot(model.normals[i] as number, model.normals[i + 1] as number, model.normals[i + 2] as number)).toBeCloseTo(1, 5);
    }
  });

  it('reads a binary STL whose header starts with "solid", as many exporters write it', async () => {
    const model = await parseModel(binaryStl(cube, 'solid exported by CAD'));
    expect(model.format).toBe('stl');
    expect(model.triangles).toBe(12);
  });

  it('reads an ASCII STL', async () => {
    const model = await parseModel(asciiStl(cube));
    expect(model.format).toBe('stl');
    expect(model.triangles).toBe(12);
    expect(model.box.size).toEqual({ x: 20, y: 30, z: 40 });
  });

  it('reads an OBJ with quads, v//vn references, negative indices and CRLF lines', async () => {
    const model = await parseModel(objCube(25));
    expect(model.format).toBe('obj');
    expect(model.triangles).toBe(12);
    expect(model.box.size).toEqual({ x: 25, y: 25, z: 25 });
  });

  it('reads a deflated 3MF package through its build item and component', async () => {
    const model = await parseModel(threeMfCube(10));
    expect(model.format).toBe('3mf');
    expect(model.triangles).toBe(12);
    expect(model.box.size).toEqual({ x: 10, y: 10, z: 10 });
  });

  it('applies 3MF build transforms and the package unit', async () => {
    // Two copies, the second moved by 30 along x and turned 90 degrees about z, in centimetres.
    const moved = '0 1 0 -1 0 0 0 0 1 30 0 0';
    const model = await parseModel(threeMfCube(1, { unit: 'centimeter', items: ['', moved], deflate: false }), '3mf');
    expect(model.triangles).toBe(24);
    expect(model.box.min.x).toBeCloseTo(0);
    expect(model.box.max.x).toBeCloseTo(300);
    expect(model.box.size.y).toBeCloseTo(10);
    expect(model.box.size.z).toBeCloseTo(10);
  });

  it('names why a file cannot be shown', async () => {
    expect(await reasonOf(parseModel(new Uint8Array(), 'stl'))).toBe('empty');
    expect(await reasonOf(parseModel(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])))).toBe('unknown-format');
    const png = new Uint8Array(200).fill(7);
    png.set([0x89, 0x50, 0x4e, 0x47]);
    expect(await reasonOf(parseModel(png, 'stl'))).toBe('malformed');
    // A binary STL cut short: the header announces more triangles than the file holds.
    expect(await reasonOf(parseModel(binaryStl(cube).subarray(0, 84 + 50 * 5), 'stl'))).toBe('malformed');
    expect(await reasonOf(parseModel(new TextEncoder().encode('v 0 0 0\nv 1 0 0\nf 1 2 3\n'), 'obj'))).toBe('malformed');
    expect(await reasonOf(parseModel(new TextEncoder().encode('# only a comment\nv 0 0 0\n'), 'obj'))).toBe('no-triangles');
    expect(await reasonOf(parseModel(zip({ 'readme.txt': 'no model' }), '3mf'))).toBe('malformed');
    const corrupt = threeMfCube(10);
    const at = corrupt.length - 400;
    corrupt.fill(0xff, at, at + 60);
    expect(await reasonOf(parseModel(corrupt, '3mf'))).toBe('malformed');
  });
});

describe('format', () => {
  it('is inferred from a name or URL, and sniffed from bytes when the name says nothing', () => {
    expect(inferFormat('Bracket v2.STL')).toBe('stl');
    expect(inferFormat('/files/part.3mf?download=1#x')).toBe('3mf');
    expect(inferFormat('model.obj')).toBe('obj');
    expect(inferFormat('photo.png')).toBeUndefined();
    expect(sniffFormat(binaryStl(cube))).toBe('stl');
    expect(sniffFormat(asciiStl(cube))).toBe('stl');
    expect(sniffFormat(objCube(1))).toBe('obj');
    expect(sniffFormat(threeMfCube(1))).toBe('3mf');
  });
});
