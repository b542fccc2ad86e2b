import { ModelParseError } from './model-parse-error.ts';
import { finishModel, type ParsedModel, TriangleSoup } from './triangle-soup.ts';

const HEADER_BYTES = 80;
const TRIANGLE_BYTES = 50;

/** Parses a binary or ASCII STL. Units are taken as millimetres, as slicers do. */
export function parseStl(bytes: Uint8Array): ParsedModel {
  if (bytes.byteLength === 0) throw new ModelParseError('empty', 'The file is empty.');
  if (isBinaryStl(bytes)) return parseBinaryStl(bytes);
  if (startsWithSolid(bytes)) return parseAsciiStl(bytes);
  throw new ModelParseError('malformed', 'The file is neither a binary STL of the size its header announces nor an ASCII STL.');
}

/**
 * A binary STL's size is exactly 84 + 50 x its triangle count. That test comes first because many
 * exporters start a binary header with the word "solid" too.
 */
export function isBinaryStl(bytes: Uint8Array): boolean {
  if (bytes.byteLength < HEADER_BYTES + 4) return false;
  const count = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(HEADER_BYTES, true);
  const expected = HEADER_BYTES + 4 + count * TRIANGLE_BYTES;
  if (expected === bytes.byteLength) return true;
  // Some exporters pad the end; accept extra bytes, but only when the text is not ASCII STL.
  return count > 0 && expected < bytes.byteLength && !startsWithSolid(bytes);
}

function startsWithSolid(bytes: Uint8Array): boolean {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.byteLength, 512)));
  return /^\s*solid\b/i.test(head) && (bytes.byteLength < 512 || /facet|endsolid/i.test(head));
}

function parseBinaryStl(bytes: Uint8Array): ParsedModel {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const count = view.getUint32(HEADER_BYTES, true);
  if (count === 0) throw new ModelParseError('no-triangles', 'The STL header announces no triangle.');
  const positions = new Float32Array(count * 9);
  let offset = HEADER_BYTES + 4;
  let j = 0;
  for (let t = 0; t < count; t++) {
    // 12 bytes of stored normal are skipped: they are often zero or wrong, so normals are computed.
    let o = offset + 12;
    for (let k = 0; k < 9; k++) {
      positions[j++] = view.getFloat32(o, true);
      o += 4;
    }
    offset += TRIANGLE_BYTES;
  }
  return finishModel(positions);
}

const VERTEX = /vertex\s+(\S+)\s+(\S+)\s+(\S+)/gi;

function parseAsciiStl(bytes: Uint8Array): ParsedModel {
  const text = new TextDecoder('latin1').decode(bytes);
  const soup = new TriangleSoup(Math.ceil(bytes.byteLength / 250));
  const v: number[] = [];
  for (const m of text.matchAll(VERTEX)) {
    const x = Number(m[1]);
    const y = Number(m[2]);
    const z = Number(m[3]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      throw new ModelParseError('malformed', `A vertex of the ASCII STL is not three numbers: "${m[0].slice(0, 80)}".`);
    }
    v.push(x, y, z);
    if (v.length === 9) {
      soup.push(v[0] as number, v[1] as number, v[2] as number, v[3] as number, v[4] as number, v[5] as number, v[6] as number, v[7] as number, v[8] as number);
      v.length = 0;
    }
  }
  if (v.length !== 0) throw new ModelParseError('malformed', 'The ASCII STL ends in the middle of a facet.');
  return soup.finish();
}
