import { ModelParseError } from './model-parse-error.ts';
import { type ParsedModel, TriangleSoup } from './triangle-soup.ts';

/**
 * Parses the geometry of a Wavefront OBJ: `v` vertices and `f` faces (polygons are fanned into
 * triangles; `v/vt/vn` forms and negative indices are accepted). Materials, normals and texture
 * coordinates are ignored: the preview shades flat. Units are taken as millimetres.
 */
export function parseObj(bytes: Uint8Array): ParsedModel {
  if (bytes.byteLength === 0) throw new ModelParseError('empty', 'The file is empty.');
  const text = new TextDecoder().decode(bytes);
  const vertices: number[] = [];
  const soup = new TriangleSoup(Math.ceil(bytes.byteLength / 60));
  const face: number[] = [];
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const line = text.slice(start, end).trim();
    start = end + 1;
    lineNo++;
    if (line.startsWith('v ') || line.startsWith('v\t')) {
      const parts = line.split(/\s+/);
      const x = Number(parts[1]);
      const y = Number(parts[2]);
      const z = Number(parts[3]);
      if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
        throw new ModelParseError('malformed', `Line ${lineNo}: a vertex needs three numbers.`);
      }
      vertices.push(x, y, z);
    } else if (line.startsWith('f ') || line.startsWith('f\t')) {
      const parts = line.split(/\s+/);
      const count = vertices.length / 3;
      face.length = 0;
      for (let i = 1; i < parts.length; i++) {
        const ref = Number.parseInt(parts[i] as string, 10);
        const index = ref < 0 ? count + ref : ref - 1;
        if (!Number.isInteger(index) || index < 0 || index >= count) {
          throw new ModelParseError('malformed', `Line ${lineNo}: a face refers to vertex ${parts[i]}, which is not defined before it.`);
        }
        face.push(index * 3);
      }
      if (face.length < 3) throw new ModelParseError('malformed', `Line ${lineNo}: a face needs at least three vertices.`);
      const a = face[0] as number;
      for (let i = 1; i + 1 < face.length; i++) {
        const b = face[i] as number;
        const c = face[i + 1] as number;
        soup.push(
          vertices[a] as number,
          vertices[a + 1] as number,
          vertices[a + 2] as number,
          vertices[b] as number,
          vertices[b + 1] as number,
          vertices[b + 2] as number,
          vertices[c] as number,
          vertices[c + 1] as number,
          vertices[c + 2] as number,
        );
      }
    }
  }
  return soup.finish();
}
