import { ModelParseError } from './model-parse-error.ts';

/** An axis-aligned box in millimetres. */
export interface Box3Mm {
  min: Vec3;
  max: Vec3;
  /** max - min per axis: the model's width (x), depth (y) and height (z). */
  size: Vec3;
}

export interface Vec3 {
  x: number;
  y: number;
  z: number;
}

/** A parsed model: non-indexed triangles, three vertices each, in millimetres. */
export interface ParsedModel {
  /** x, y, z of each vertex; 9 floats a triangle. */
  positions: Float32Array;
  /** One flat face normal per vertex (the same for the three vertices of a triangle). */
  normals: Float32Array;
  triangles: number;
  box: Box3Mm;
}

/**
 * Collects triangles into a growable Float32Array, so parsers of formats whose triangle count
 * is not known up front (ASCII STL, OBJ, 3MF) need no array of arrays.
 */
export class TriangleSoup {
  private data: Float32Array;
  private length = 0;

  constructor(expectedTriangles = 1024) {
    this.data = new Float32Array(Math.max(9, expectedTriangles * 9));
  }

  push(ax: number, ay: number, az: number, bx: number, by: number, bz: number, cx: number, cy: number, cz: number): void {
    if (this.length + 9 > this.data.length) {
      const grown = new Float32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    const d = this.data;
    let i = this.length;
    d[i++] = ax;
    d[i++] = ay;
    d[i++] = az;
    d[i++] = bx;
    d[i++] = by;
    d[i++] = bz;
    d[i++] = cx;
    d[i++] = cy;
    d[i++] = cz;
    this.length = i;
  }

  finish(): ParsedModel {
    // A copy of the used part only: the result is transferred to the main thread, and a
    // half-empty buffer would cost memory there for nothing.
    return finishModel(this.data.slice(0, this.length));
  }
}

/** Computes flat normals and the bounding box of non-indexed triangle positions. */
export function finishModel(positions: Float32Array): ParsedModel {
  const triangles = positions.length / 9;
  if (triangles === 0) throw new ModelParseError('no-triangles', 'The file describes no triangle.');
  const normals = new Float32Array(positions.length);
  let minX = Number.POSITIVE_INFINITY;
  let minY = Number.POSITIVE_INFINITY;
  let minZ = Number.POSITIVE_INFINITY;
  let maxX = Number.NEGATIVE_INFINITY;
  let maxY = Number.NEGATIVE_INFINITY;
  let maxZ = Number.NEGATIVE_INFINITY;
  const p = positions;
  for (let i = 0; i < p.length; i += 9) {
    const ax = p[i] as number;
    const ay = p[i + 1] as number;
    const az = p[i + 2] as number;
    const bx = p[i + 3] as number;
    const by = p[i + 4] as number;
    const bz = p[i + 5] as number;
    const cx = p[i + 6] as number;
    const cy = p[i + 7] as number;
    const cz = p[i + 8] as number;
    // (b - a) x (c - a)
    const ux = bx - ax;
    const uy = by - ay;
    const uz = bz - az;
    const vx = cx - ax;
    const vy = cy - ay;
    const vz = cz - az;
    let nx = uy * vz - uz * vy;
    let ny = uz * vx - ux * vz;
    let nz = ux * vy - uy * vx;
    const len = Math.hypot(nx, ny, nz);
    if (len > 0) {
      nx /= len;
      ny /= len;
      nz /= len;
    }
    for (let k = 0; k < 9; k += 3) {
      normals[i + k] = nx;
      normals[i + k + 1] = ny;
      normals[i + k + 2] = nz;
    }
    if (ax < minX) minX = ax;
    if (bx < minX) minX = bx;
    if (cx < minX) minX = cx;
    if (ay < minY) minY = ay;
    if (by < minY) minY = by;
    if (cy < minY) minY = cy;
    if (az < minZ) minZ = az;
    if (bz < minZ) minZ = bz;
    if (cz < minZ) minZ = cz;
    if (ax > maxX) maxX = ax;
    if (bx > maxX) maxX = bx;
    if (cx > maxX) maxX = cx;
    if (ay > maxY) maxY = ay;
    if (by > maxY) maxY = by;
    if (cy > maxY) maxY = cy;
    if (az > maxZ) maxZ = az;
    if (bz > maxZ) maxZ = bz;
    if (cz > maxZ) maxZ = cz;
  }
  if (![minX, minY, minZ, maxX, maxY, maxZ].every(Number.isFinite)) {
    throw new ModelParseError('malformed', 'A vertex has a coordinate that is not a finite number.');
  }
  return {
    positions,
    normals,
    triangles,
    box: {
      min: { x: minX, y: minY, z: minZ },
      max: { x: maxX, y: maxY, z: maxZ },
      size: { x: maxX - minX, y: maxY - minY, z: maxZ - minZ },
    },
  };
}
