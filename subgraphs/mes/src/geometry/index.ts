import { detectFormat } from './detect.ts';
import { fail, GeometryError } from './errors.ts';
import { canonicalHash } from './hash.ts';
import { parseObj } from './obj.ts';
import { computeStats } from './stats.ts';
import { parseAsciiStl } from './stl-ascii.ts';
import { parseBinaryStl } from './stl-binary.ts';
import { parse3mf } from './threemf.ts';
import { analyzeTopology } from './topology.ts';
import { type AnalyzeOptions, DEFAULT_MAX_TRIANGLES, type MeshAnalysis, type MeshFormat, type MeshStats, type TriangleSoup } from './types.ts';

export { detectFormat } from './detect.ts';
export { GeometryError, type GeometryErrorReason, isGeometryError } from './errors.ts';
export { canonicalHash } from './hash.ts';
export { releaseScratch } from './scratch.ts';
export { computeStats } from './stats.ts';
export { BinaryStlStream, measureBinaryStl, parseBinaryStl } from './stl-binary.ts';
export { UNIT_TO_MM } from './threemf.ts';
export { analyzeTopology, type Topology } from './topology.ts';
export {
  type AnalyzeOptions,
  DEFAULT_MAX_TRIANGLES,
  type MeshAnalysis,
  type MeshFormat,
  type MeshStats,
  type TriangleSoup,
} from './types.ts';

export interface ParsedMesh extends TriangleSoup {
  format: MeshFormat;
  stats: MeshStats;
}

/** Detects the format and parses to a float32 triangle soup in millimetres with its stats. */
export function parseMesh(bytes: Uint8Array, options: AnalyzeOptions = {}): ParsedMesh {
  const maxTriangles = options.maxTriangles ?? DEFAULT_MAX_TRIANGLES;
  const format = detectFormat(bytes);
  try {
    if (format === 'STL_BINARY') return { format, ...parseBinaryStl(bytes, maxTriangles) };
    const soup = format === 'STL_ASCII' ? parseAsciiStl(bytes, maxTriangles) : format === 'OBJ' ? parseObj(bytes, maxTriangles) : parse3mf(bytes, maxTriangles);
    if (soup.triangleCount === 0) throw fail.empty();
    if (soup.triangleCount > maxTriangles) throw fail.tooMany(soup.triangleCount, maxTriangles);
    return { format, ...soup, stats: computeStats(soup) };
  } catch (e) {
    if (e instanceof GeometryError) throw e;
    if (e instanceof RangeError) {
      throw fail.malformed('the mesh is too large or its structure is invalid');
    }
    throw e;
  }
}

/** Finishes the analysis of an already parsed mesh (topology + canonical hash). */
export function analyzeParsed(mesh: ParsedMesh): MeshAnalysis {
  const topo = analyzeTopology(mesh);
  const s = mesh.stats;
  return {
    format: mesh.format,
    triangleCount: mesh.triangleCount,
    volumeMm3: Math.abs(s.signedVolume),
    signedVolumeMm3: s.signedVolume,
    surfaceAreaMm2: s.area,
    bbox: { min: s.min, max: s.max },
    shells: topo.shells,
    watertight: topo.watertight,
    manifold: topo.manifold,
    consistentWinding: topo.consistentWinding,
    invertedNormals: s.signedVolume < 0,
    degenerateFaces: s.degenerate,
    geometryHash: canonicalHash(mesh),
  };
}

/**
 * Full analysis of a mesh file (format detected from content). Throws
 * {@link GeometryError} with a customer-readable message for any bad input.
 */
export function analyzeMesh(bytes: Uint8Array, options: AnalyzeOptions = {}): MeshAnalysis {
  return analyzeParsed(parseMesh(bytes, options));
}
