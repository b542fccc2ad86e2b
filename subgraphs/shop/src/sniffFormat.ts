import { Transform } from 'node:stream';

export type SniffedFormat = 'STL' | 'OBJ' | 'THREE_MF';

/**
 * The format from the content, not the name: a zip is 3MF, a binary STL's size matches its
 * triangle count, an ASCII STL starts with `solid` and has facets, an OBJ has vertex lines.
 */
export function sniffFormat(head: Buffer, sizeBytes: number): SniffedFormat | null {
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return 'THREE_MF';
  if (sizeBytes >= 84 && head.length >= 84 && 84 + 50 * head.readUInt32LE(80) === sizeBytes) return 'STL';
  const text = head.toString('latin1');
  if (hasBinaryBytes(head)) return null;
  if (/^\s*solid\b/.test(text) && (/\bfacet\b/.test(text) || sizeBytes <= head.length)) return 'STL';
  if (/^\s*v\s+-?[\d.]/m.test(text)) return 'OBJ';
  return null;
}

/** Text formats never contain control bytes other than tab, newline, carriage return and form feed. */
function hasBinaryBytes(head: Buffer) {
  for (const byte of head) if (byte < 0x09 || (byte > 0x0d && byte < 0x20)) return true;
  return false;
}

/**
 * Refuses a file while it streams in, as soon as its content rules out every format: a binary
 * head that is not a zip can only be a binary STL, whose header fixes its size (84 + 50 bytes
 * per triangle), so a longer stream is not one. Text heads are judged by `sniffFormat` at the end.
 */
export function formatGuard(filename: string) {
  let seen = 0;
  let head = Buffer.alloc(0);
  let maxBytes = Number.POSITIVE_INFINITY;
  const refuse = () => Object.assign(new Error(`${filename} is not an STL, OBJ or 3MF model (judged by its content)`), { status: 400 });
  return new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _enc, done) {
      if (head.length < 84) {
        head = Buffer.concat([head, chunk.subarray(0, 84 - head.length)]);
        if (head.length >= 84 && head.readUInt32LE(0) !== 0x04034b50 && hasBinaryBytes(head)) maxBytes = 84 + 50 * head.readUInt32LE(80);
      }
      seen += chunk.length;
      done(seen > maxBytes ? refuse() : null, chunk);
    },
  });
}
