import fc from 'fast-check';
import { authHeaders, callerArbitrary } from './bodies.ts';
import type { WireRequest } from './wire.ts';

// GraphQL multipart requests (the spec apollo-upload-client implements) built part by part, then
// bent: parts reordered, maps pointing at missing files or wrong paths, one file mapped twice,
// bodies truncated at every part boundary and inside the file, sizes declared over the limit.

const BOUNDARY = '----fablinefuzz7MA4YWxkTrZu0gW';
const UPLOAD = 'mutation($file: Upload!) { uploadModel(file: $file) { id filename sizeBytes } }';

interface Part {
  name: string;
  filename?: string;
  content: Buffer;
}

const field = (name: string, value: string): Part => ({ name, content: Buffer.from(value) });
const encodePart = (part: Part) =>
  Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${part.filename ? `; filename="${part.filename}"` : ''}\r\n` +
        (part.filename ? 'Content-Type: application/octet-stream\r\n' : '') +
        '\r\n',
    ),
    part.content,
    Buffer.from('\r\n'),
  ]);

/** A small text OBJ (a valid model the shop accepts), or bytes that are not a model. */
const fileContent = fc.oneof(
  fc.integer({ min: 0, max: 60 }).map((lines) => Buffer.from(`v 0 0 0\nv 1 0 0\nv 0 1 0\nf 1 2 3\n${'# pad\n'.repeat(lines)}`)),
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(64, 256).map((kb) => Buffer.alloc(kb * 1024, 0x41)),
);

const MAPS = [
  '{"0":["variables.file"]}',
  '{"0":["variables.file"]}',
  '{"1":["variables.file"]}', // a file that is never sent
  '{"0":["variables.nope"]}',
  '{"0":["variables.file.deeper"]}',
  '{"0":["query"]}',
  '{"0":["__proto__.polluted"]}',
  '{"0":["variables.file","variables.file"]}', // one file mapped twice
  '{"0":["variables.file"],"1":["variables.other"]}',
  '{"0":[]}',
  '{"0":"variables.file"}',
  '[]',
  'null',
  '{"0":["variables.file"]',
  `{${Array.from({ length: 50 }, (_, i) => `"${i}":["variables.file"]`).join(',')}}`,
];

const OPERATIONS = [
  JSON.stringify({ query: UPLOAD, variables: { file: null } }),
  JSON.stringify({ query: UPLOAD, variables: { file: null } }),
  JSON.stringify({ query: UPLOAD, variables: { file: null, other: null } }),
  JSON.stringify([{ query: UPLOAD, variables: { file: null } }]),
  JSON.stringify({ query: '{ materials { code } }' }),
  JSON.stringify({ query: 'mutation($file: Upload!) { uploadModel(file: $file) { id ...Unknown } }', variables: { file: null } }),
  JSON.stringify({ query: UPLOAD, variables: { file: 'not a file' } }),
  '{"query":',
  '"just a string"',
];

export const multipartRequestArbitrary: fc.Arbitrary<WireRequest> = fc
  .record({
    operations: fc.constantFrom(...OPERATIONS),
    map: fc.constantFrom(...MAPS),
    file: fileContent,
    order: fc.constantFrom('spec', 'spec', 'map-first', 'file-first', 'file-between', 'no-map', 'no-file', 'two-files', 'extra-field'),
    cut: fc.oneof(
      fc.constant({ kind: 'none' as const, at: 0 }),
      fc.record({ kind: fc.constantFrom('boundary' as const, 'byte' as const, 'abort' as const), at: fc.nat({ max: 1_000_000 }) }),
    ),
    framing: fc.constantFrom('length', 'length', 'chunked', 'declared-huge', 'no-closing-boundary', 'wrong-boundary', 'no-boundary-param'),
    preflight: fc.constantFrom(true, true, true, false),
    caller: callerArbitrary,
  })
  .map(({ operations, map, file, order, cut, framing, preflight, caller }): WireRequest => {
    const ops = field('operations', operations);
    const mapPart = field('map', map);
    const filePart: Part = { name: '0', filename: 'part.obj', content: file };
    const parts = {
      spec: [ops, mapPart, filePart],
      'map-first': [mapPart, ops, filePart],
      'file-first': [filePart, ops, mapPart],
      'file-between': [ops, filePart, mapPart],
      'no-map': [ops, filePart],
      'no-file': [ops, mapPart],
      'two-files': [ops, mapPart, filePart, { ...filePart, name: '1' }],
      'extra-field': [ops, mapPart, field('extra', 'x'), filePart],
    }[order];
    const encoded = parts.map(encodePart);
    const closing = framing === 'no-closing-boundary' ? Buffer.alloc(0) : Buffer.from(`--${BOUNDARY}--\r\n`);
    let body = Buffer.concat([...encoded, closing]);
    const full = body.length;
    if (cut.kind === 'boundary') {
      // cut right before one of the part delimiters (or the closing one)
      const offsets = [0];
      for (const part of encoded) offsets.push((offsets.at(-1) ?? 0) + part.length);
      body = body.subarray(0, offsets[cut.at % offsets.length]);
    } else if (cut.kind !== 'none') {
      body = body.subarray(0, cut.at % (full + 1));
    }
    const boundary = framing === 'wrong-boundary' ? 'not-the-boundary' : BOUNDARY;
    const headers: Record<string, string> = {
      ...authHeaders(caller),
      'content-type': framing === 'no-boundary-param' ? 'multipart/form-data' : `multipart/form-data; boundary=${boundary}`,
    };
    if (preflight) headers['apollo-require-preflight'] = 'true';
    if (framing === 'chunked') headers['transfer-encoding'] = 'chunked';
    else if (framing === 'declared-huge') headers['content-length'] = String(50 * 1024 * 1024 * 1024);
    else headers['content-length'] = String(cut.kind === 'abort' ? full : body.length);
    // an abort sends part of what it declared and goes away; a huge declared size is refused before the body
    const ending = framing === 'declared-huge' ? 'refuse-early' : cut.kind === 'abort' ? 'abort' : 'complete';
    return { method: 'POST', path: '/graphql', headers, body, ending };
  });
