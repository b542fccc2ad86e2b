import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3Storage } from '../src/storage/s3Storage.ts';

// The S3 adapter against a real S3-compatible server (s3rver) on localhost, not a mock.
const BUCKET = 'fabline-test-models';
let server: S3rver;
let directory: string;
let endpoint: string;

const storageAt = (url: string, extra: Partial<ConstructorParameters<typeof S3Storage>[0]> = {}) =>
  new S3Storage({
    bucket: BUCKET,
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    partSizeBytes: 5 * 1024 * 1024,
    ...extra,
  });

const keys = async (storage: S3Storage) => ((await storage.client.send(new ListObjectsV2Command({ Bucket: BUCKET }))).Contents ?? []).map((o) => o.Key);

/** Chunks of `bytes`, 1 MB at a time, as a client's upload arrives. */
const chunked = (bytes: Buffer) =>
  Readable.from(
    (function* () {
      for (let i = 0; i < bytes.length; i += 1024 * 1024) yield bytes.subarray(i, i + 1024 * 1024);
    })(),
  );

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'fabline-s3-test-'));
  server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  await storageAt(endpoint).ensureBucket();
});
afterAll(async () => {
  await server?.close();
  rmSync(directory, { recursive: true, force: true });
});

describe('S3Storage', () => {
  it('streams a large file up in parts, hashing it, then commits, reads and deletes it', async () => {
    const storage = storageAt(endpoint);
    const bytes = randomBytes(12 * 1024 * 1024 + 123);
    const stored = await storage.write(chunked(bytes));
    expect(stored.sizeBytes).toBe(bytes.length);
    expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(stored.head).toEqual(bytes.subarray(0, 4096));

    await storage.commit(stored.key, 'models/ab/final');
    expect(await keys(storage)).toEqual(['models/ab/final']);
    expect((await storage.read('models/ab/final')).equals(bytes)).toBe(true);
    let streamed = 0;
    for await (const chunk of await storage.readStream('models/ab/final')) streamed += (chunk as Buffer).length;
    expect(streamed).toBe(bytes.length);
    await storage.remove('models/ab/final');
    expect(await keys(storage)).toEqual([]);
  });

  it('leaves no object when the source fails mid-upload', async () => {
    const storage = storageAt(endpoint);
    const failing = Readable.from(
      (async function* () {
        for (let i = 0; i < 7; i++) yield randomBytes(1024 * 1024);
        throw new Error('client went away');
      })(),
    );
    await expect(storage.write(failing)).rejects.toThrow();
    expect(await keys(storage)).toEqual([]);
  });

  it('fails, leaving no object, when the source had already failed before the write began', async () => {
    const storage = storageAt(endpoint);
    const source = new PassThrough();
    source.on('error', () => {});
    source.destroy(new Error('client went away'));
    await new Promise((resolve) => source.once('close', resolve));
    const outcome = await Promise.race([
      storage.write(source).then(
        () => 'stored',
        (error: Error) => error.message,
      ),
      sleep(3000, 'pending'),
    ]);
    expect(outcome).toBe('client went away');
    expect(await keys(storage)).toEqual([]);
  });

  it('gives presigned links to GET an object and to PUT one', async () => {
    const storage = storageAt(endpoint);
    const put = await storage.uploadUrl('incoming/owner/abc', { expiresInSeconds: 60 });
    expect(put).toContain('X-Amz-Signature=');
    expect((await fetch(put, { method: 'PUT', body: 'solid x\nendsolid x\n' })).status).toBe(200);
    const get = await storage.downloadUrl('incoming/owner/abc', { expiresInSeconds: 60, filename: 'part.stl' });
    expect(get).toContain('X-Amz-Expires=60');
    const response = await fetch(get);
    expect(await response.text()).toBe('solid x\nendsolid x\n');
    expect(response.headers.get('content-disposition')).toContain('part.stl');
    await storage.remove('incoming/owner/abc');
  });

  it('links that have expired are refused by the server (s3rver checks V4 expiry, not V4 signatures)', async () => {
    const storage = storageAt(endpoint);
    const put = await storage.uploadUrl('incoming/owner/expiring', { expiresInSeconds: 1 });
    const get = await storage.downloadUrl('incoming/owner/expiring', { expiresInSeconds: 1, filename: 'part.stl' });
    // X-Amz-Date has whole seconds: past 2 s the one-second links are certainly stale
    await sleep(2100);
    const stalePut = await fetch(put, { method: 'PUT', body: 'solid late\nendsolid late\n' });
    expect(stalePut.status).toBe(403);
    expect(await stalePut.text()).toContain('Request has expired');
    const staleGet = await fetch(get);
    expect(staleGet.status).toBe(403);
    expect(await staleGet.text()).toContain('Request has expired');
    expect(await keys(storage)).not.toContain('incoming/owner/expiring');
  });

  it('retries transient errors with backoff', async () => {
    // a proxy in front of the server that answers the first two requests with 503
    let refused = 0;
    const proxy: Server = createServer((req, res) => {
      if (refused < 2) {
        refused++;
        req.resume();
        res.writeHead(503, { 'content-type': 'application/xml' }).end('<Error><Code>SlowDown</Code><Message>busy</Message></Error>');
        return;
      }
      const upstream = request(`${endpoint}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      req.pipe(upstream);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    const storage = storageAt(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
    try {
      const stored = await storage.write(Readable.from([Buffer.from('v 0 0 0\n')]));
      expect(refused).toBe(2);
      expect(stored.sizeBytes).toBe(8);
      await storage.remove(stored.key);
    } finally {
      proxy.close();
    }
  });
});
