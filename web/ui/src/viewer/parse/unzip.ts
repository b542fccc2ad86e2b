import { ModelParseError } from './model-parse-error.ts';

/**
 * A small zip reader for 3MF packages, inflating with the platform's
 * `DecompressionStream('deflate-raw')` so the viewer needs no zip library.
 * Reads stored (0) and deflated (8) entries; ZIP64 archives and encryption are refused.
 */
export interface ZipEntry {
  name: string;
  uncompressedSize: number;
  read(): Promise<Uint8Array>;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
/** An entry announcing more than this is refused, so a zip bomb cannot exhaust the worker. */
const MAX_ENTRY_BYTES = 1024 * 1024 * 1024;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;
}

export function readZip(bytes: Uint8Array): Map<string, ZipEntry> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEndOfCentralDirectory(view);
  const count = view.getUint16(eocd + 10, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === 0xffff || offset === 0xffffffff) throw new ModelParseError('malformed', 'ZIP64 archives are not supported.');
  const decoder = new TextDecoder();
  const entries = new Map<string, ZipEntry>();
  for (let i = 0; i < count; i++) {
    if (offset + 46 > view.byteLength || view.getUint32(offset, true) !== CENTRAL_SIGNATURE) {
      throw new ModelParseError('malformed', 'The zip central directory is damaged.');
    }
    const flags = view.getUint16(offset + 8, true);
    const method = view.getUint16(offset + 10, true);
    const compressedSize = view.getUint32(offset + 20, true);
    const uncompressedSize = view.getUint32(offset + 24, true);
    const nameLength = view.getUint16(offset + 28, true);
    const extraLength = view.getUint16(offset + 30, true);
    const commentLength = view.getUint16(offset + 32, true);
    const localOffset = view.getUint32(offset + 42, true);
    const name = decoder.decode(bytes.subarray(offset + 46, offset + 46 + nameLength));
    offset += 46 + nameLength + extraLength + commentLength;
    if (name.endsWith('/')) continue;
    entries.set(name, {
      name,
      uncompressedSize,
      read: () => readEntry(bytes, view, { name, flags, method, compressedSize, uncompressedSize, localOffset }),
    });
  }
  return entries;
}

function findEndOfCentralDirectory(view: DataView): number {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let i = view.byteLength - 22; i >= lowest; i--) {
    if (view.getUint32(i, true) === EOCD_SIGNATURE) return i;
  }
  throw new ModelParseError('malformed', 'The file is not a zip archive (no end of central directory).');
}

interface EntryRecord {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localOffset: number;
}

async function readEntry(bytes: Uint8Array, view: DataView, entry: EntryRecord): Promise<Uint8Array> {
  if (entry.flags & 0x1) throw new ModelParseError('malformed', `Zip entry ${entry.name} is encrypted.`);
  if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff) {
    throw new ModelParseError('malformed', 'ZIP64 archives are not supported.');
  }
  if (entry.uncompressedSize > MAX_ENTRY_BYTES) throw new ModelParseError('malformed', `Zip entry ${entry.name} is too large to preview.`);
  const at = entry.localOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_SIGNATURE) {
    throw new ModelParseError('malformed', `Zip entry ${entry.name} has no local header.`);
  }
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  const end = start + entry.compressedSize;
  if (end > bytes.byteLength) throw new ModelParseError('malformed', `Zip entry ${entry.name} is truncated.`);
  const data = bytes.subarray(start, end);
  if (entry.method === 0) return data;
  if (entry.method !== 8) throw new ModelParseError('malformed', `Zip entry ${entry.name} uses compression method ${entry.method}, not deflate.`);
  return inflateRaw(data, entry);
}

async function inflateRaw(data: Uint8Array, entry: EntryRecord): Promise<Uint8Array> {
  const out = new Uint8Array(entry.uncompressedSize);
  let length = 0;
  try {
    const stream = new Blob([data as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const reader = stream.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (length + value.byteLength > out.byteLength) {
        await reader.cancel();
        throw new ModelParseError('malformed', `Zip entry ${entry.name} inflates to more than its announced size.`);
      }
      out.set(value, length);
      length += value.byteLength;
    }
  } catch (error) {
    if (error instanceof ModelParseError) throw error;
    throw new ModelParseError('malformed', `Zip entry ${entry.name} could not be inflated.`);
  }
  if (length !== out.byteLength) throw new ModelParseError('malformed', `Zip entry ${entry.name} inflates to less than its announced size.`);
  return out;
}
