import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
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

/** Object storage for model files. The local folder is the default; S3 comes behind the same interface. */
export interface ModelStorage {
  /** Streams `source` into a new temporary object, hashing on the way; nothing is buffered whole. */
  write(source: Readable): Promise<StoredObject>;
  /** Gives a temporary object its final key. */
  commit(tempKey: string, finalKey: string): Promise<void>;
  remove(key: string): Promise<void>;
  /** The whole object (models are read whole for analysis). */
  read(key: string): Promise<Buffer>;
}

const HEAD_BYTES = 4096;

export class LocalStorage implements ModelStorage {
  constructor(private readonly root: string) {}

  private path(key: string) {
    if (key.includes('..') || key.startsWith('/')) throw new Error(`invalid storage key ${key}`);
    return join(this.root, key);
  }

  async write(source: Readable): Promise<StoredObject> {
    const key = `tmp/${randomUUID()}`;
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const hash = createHash('sha256');
    let size = 0;
    const headChunks: Buffer[] = [];
    let headLength = 0;
    const tap = new Transform({
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
    try {
      await pipeline(source, tap, createWriteStream(path));
    } catch (error) {
      await rm(path, { force: true });
      throw error;
    }
    return { key, sizeBytes: size, sha256: hash.digest('hex'), head: Buffer.concat(headChunks) };
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
}
