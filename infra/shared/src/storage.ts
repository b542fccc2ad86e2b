import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** What a finished write tells: where it is, how big, its SHA-256 and its first bytes (for format sniffing). */
export interface StoredObject {
  key: string;
  sizeBytes: number;
  sha256: string;
  head: Buffer;
}

export interface SignedUrlOptions {
  expiresInSeconds: number;
  /** Offered to the browser as the download's name. */
  filename?: string;
}

/** Object storage for model files: a local folder (the default) or S3 (`s3Storage.ts`), chosen by `createStorage`. */
export interface ModelStorage {
  /** Streams `source` into a new temporary object, hashing on the way; nothing is buffered whole. */
  write(source: Readable): Promise<StoredObject>;
  /** Gives a temporary object its final key. */
  commit(tempKey: string, finalKey: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** The whole object (models are read whole for analysis). */
  read(key: string): Promise<Buffer>;
  /** The object as a stream (fails when it does not exist). */
  readStream(key: string): Promise<Readable>;
  /** A URL anyone holding it can GET the object from until it expires. */
  downloadUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /** A URL anyone holding it can PUT the object to until it expires. */
  uploadUrl(key: string, options: SignedUrlOptions): Promise<string>;
}

const HEAD_BYTES = 4096;

const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/;

/**
 * Whether `key` has the shape of the keys storage gives out (`models/ab/<sha>-<id>`,
 * `incoming/<owner>/<id>`, `tmp/<id>`): plain segments of letters, digits, `_`, `-` and inner dots,
 * so no `..`, no empty segment, no backslash or control character, nothing a path or URL resolves.
 */
export function isStorageKey(key: string) {
  const segments = key.split('/');
  return key.length <= 1024 && segments.length <= 8 && segments.every((segment) => KEY_SEGMENT.test(segment));
}

/** A pass-through that hashes, counts and keeps the first bytes of what flows through it. */
export function hashingTap() {
  const hash = createHash('sha256');
  let size = 0;
  const headChunks: Buffer[] = [];
  let headLength = 0;
  const tap = new Transform({
    highWaterMark: 1024 * 1024,
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      if (headLength < HEAD_BYTES) {
        headChunks.push(chunk.subarray(0, HEAD_BYTES - headLength));
        headLength += Math.min(chunk.length, HEAD_BYTES - headLength);
      }
      done(null, chunk);
    },
  });
  return { tap, result: () => ({ sizeBytes: size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) }) };
}

/**
 * Removes the file a failed write was writing, once its stream has closed. pipeline rejects as
 * soon as one stream fails, before the file's open has completed or its descriptor is closed:
 * an rm run at once can come before a slow open, which then creates the file again, empty and
 * never removed.
 */
async function discard(file: WriteStream, path: string) {
  if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
  await rm(path, { force: true });
}

/** The object key of a `/files/<key>` path, decoded; null when it is not a well-formed key. */
export function fileKeyOf(path: string): string | null {
  // an encoded slash or backslash would make one segment two once decoded
  if (/%(2f|5c)/i.test(path) || !path.startsWith('/')) return null;
  let key: string;
  try {
    key = path
      .slice(1)
      .split('/')
      .map((segment) => decodeURIComponent(segment))
      .join('/');
  } catch {
    return null;
  }
  return isStorageKey(key) ? key : null;
}

export interface LocalStorageOptions {
  /** Signs the URLs `downloadUrl` and `uploadUrl` give (HMAC-SHA256). */
  signingSecret?: string;
  /** Base the signed URLs start with; `/files/<key>` is appended. @default http://localhost:4000 */
  publicUrl?: string;
}

/** Model files in a folder; signed URLs point at `/files/…`, served by `localFileRoutes`. */
export class LocalStorage implements ModelStorage {
  constructor(
    private readonly root: string,
    private readonly options: LocalStorageOptions = {},
  ) {}

  private path(key: string) {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid storage key ${key}`);
    return join(this.root, key);
  }

  async write(source: Readable): Promise<StoredObject> {
    const key = `tmp/${randomUUID()}`;
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const { tap, result } = hashingTap();
    const file = createWriteStream(path, { highWaterMark: 1024 * 1024 });
    try {
      await pipeline(source, tap, file);
    } catch (error) {
      await discard(file, path);
      throw error;
    }
    return { key, ...result() };
  }

  async commit(tempKey: string, finalKey: string) {
    const target = this.path(finalKey);
    await mkdir(dirname(target), { recursive: true });
    await rename(this.path(tempKey), target);
  }

  async remove(key: string) {
    await rm(this.path(key), { force: true });
  }

  read(key: string) {
    return readFile(this.path(key));
  }

  readStream(key: string): Promise<Readable> {
    const stream = createReadStream(this.path(key), { highWaterMark: 1024 * 1024 });
    return new Promise((resolve, reject) => {
      stream.once('open', () => resolve(stream));
      stream.once('error', reject);
    });
  }

  /** Writes a signed PUT's body to `key`, through a temporary file so a cut-off request leaves nothing. */
  async writeAt(key: string, source: Readable, maxBytes: number) {
    const target = this.path(key);
    const temp = this.path(`tmp/${randomUUID()}`);
    await mkdir(dirname(temp), { recursive: true });
    let size = 0;
    const limit = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        done(size > maxBytes ? Object.assign(new Error(`The file is larger than the limit of ${maxBytes} bytes`), { status: 413 }) : null, chunk);
      },
    });
    const file = createWriteStream(temp);
    try {
      await pipeline(source, limit, file);
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
    } catch (error) {
      await discard(file, temp);
      throw error;
    }
  }

  /** The filename is signed too: a link whose download name was changed is not genuine. */
  private sign(method: string, key: string, expires: number, filename: string) {
    if (!this.options.signingSecret) throw new Error('LocalStorage needs a signingSecret to sign URLs');
    return createHmac('sha256', this.options.signingSecret)
      .update(JSON.stringify([method, key, expires, filename]))
      .digest('base64url');
  }

  private signedUrl(method: 'GET' | 'PUT', key: string, { expiresInSeconds, filename }: SignedUrlOptions) {
    const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
    const url = new URL(`/files/${key.split('/').map(encodeURIComponent).join('/')}`, this.options.publicUrl ?? 'http://localhost:4000');
    url.searchParams.set('expires', String(expires));
    if (filename) url.searchParams.set('filename', filename);
    url.searchParams.set('signature', this.sign(method, key, expires, filename ?? ''));
    return Promise.resolve(url.toString());
  }

  downloadUrl(key: string, options: SignedUrlOptions) {
    return this.signedUrl('GET', key, options);
  }

  uploadUrl(key: string, options: SignedUrlOptions) {
    return this.signedUrl('PUT', key, options);
  }

  /** Whether a signature from `downloadUrl`/`uploadUrl` (over its key, expiry and filename) is genuine and unexpired. */
  verify(method: string, key: string, expires: number, signature: string, filename = '') {
    if (!Number.isFinite(expires) || expires < Date.now() / 1000 || !isStorageKey(key)) return false;
    const expected = Buffer.from(this.sign(method, key, expires, filename));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
