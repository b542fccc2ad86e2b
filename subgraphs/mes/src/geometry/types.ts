export type MeshFormat = 'STL_BINARY' | 'STL_ASCII' | 'OBJ' | '3MF';

export type Vec3 = [number, number, number];

export interface MeshAnalysis {
  format: MeshFormat;
  triangleCount: number;
  /** |signed volume|, signed-tetrahedra sum accumulated in float64. */
  volumeMm3: number;
  /** Negative means the normals point inwards. */
  signedVolumeMm3: number;
  surfaceAreaMm2: number;
  bbox: { min: Vec3; max: Vec3 };
  /** Connected components, by shared (exactly welded) vertices. */
  shells: number;
  /** Every edge is shared by exactly two faces. */
  watertight: boolean;
  /** Edge-manifold: no edge is shared by more than two faces and no face has a collapsed (repeated) vertex. */
  manifold: boolean;
  /** No edge is used twice in the same direction. */
  consistentWinding: boolean;
  invertedNormals: boolean;
  /** Zero-area triangles. */
  degenerateFaces: number;
  /** Hex sha256 of the canonical triangle set (independent of format, header, normals, triangle order/rotation). */
  geometryHash: string;
}

export interface AnalyzeOptions {
  /** Upper bound on triangle count (default 20 000 000). */
  maxTriangles?: number;
}

export const DEFAULT_MAX_TRIANGLES = 20_000_000;

/** Triangle soup in millimetres: 9 float32 per triangle (x0 y0 z0 x1 y1 z1 x2 y2 z2). */
export interface TriangleSoup {
  positions: Float32Array;
  triangleCount: number;
}

/** Volume/area/bbox figures computed in one pass. */
export interface MeshStats {
  signedVolume: number;
  area: number;
  min: Vec3;
  max: Vec3;
  degenerate: number;
}
