/** Machine-readable reason attached to every {@link GeometryError}. */
export type GeometryErrorReason =
  | 'EMPTY'
  | 'TRUNCATED'
  | 'COUNT_MISMATCH'
  | 'NON_FINITE'
  | 'TOO_MANY_TRIANGLES'
  | 'NOT_A_MESH'
  | 'ZIP_BOMB'
  | 'UNSAFE_PATH'
  | 'MALFORMED';

/**
 * Raised for any input that cannot be analysed. `message` is written so it can
 * be shown to a customer as-is; `reason` is meant for programs.
 */
export class GeometryError extends Error {
  readonly reason: GeometryErrorReason;

  constructor(reason: GeometryErrorReason, message: string) {
    super(message);
    this.name = 'GeometryError';
    this.reason = reason;
  }
}

export function isGeometryError(e: unknown): e is GeometryError {
  return e instanceof GeometryError;
}

export const fail = {
  empty: (what = 'The file'): GeometryError => new GeometryError('EMPTY', `${what} contains no triangles.`),
  truncated: (detail: string): GeometryError =>
    new GeometryError('TRUNCATED', `The file is incomplete: ${detail}. It was probably cut off during export or upload; please export or upload it again.`),
  countMismatch: (declared: number, actual: number): GeometryError =>
    new GeometryError(
      'COUNT_MISMATCH',
      `The binary STL header announces ${declared} triangles, but the file size corresponds to ${actual}. The file is corrupt; please export it again.`,
    ),
  nonFinite: (triangle: number): GeometryError =>
    new GeometryError('NON_FINITE', `Triangle ${triangle + 1} has an invalid coordinate (NaN or infinity). Please repair the mesh and export it again.`),
  tooMany: (count: number, max: number): GeometryError =>
    new GeometryError('TOO_MANY_TRIANGLES', `The mesh has ${count} triangles, more than the ${max} we can process. Please simplify (decimate) the mesh.`),
  notAMesh: (detail = 'its content is not STL, OBJ or 3MF'): GeometryError =>
    new GeometryError('NOT_A_MESH', `This file is not a 3D mesh we can read (${detail}). Supported formats: STL (binary or ASCII), OBJ and 3MF.`),
  zipBomb: (detail: string): GeometryError => new GeometryError('ZIP_BOMB', `The 3MF archive was rejected: ${detail}.`),
  unsafePath: (path: string): GeometryError =>
    new GeometryError('UNSAFE_PATH', `The 3MF archive was rejected: it contains an unsafe file path (${JSON.stringify(path.slice(0, 120))}).`),
  malformed: (detail: string): GeometryError => new GeometryError('MALFORMED', `The file is malformed: ${detail}.`),
};
