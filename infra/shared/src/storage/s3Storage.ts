import { randomUUID } from 'node:crypto';
import { pipeline, Readable } from 'node:stream';
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { hashingTap, type ModelStorage, type SignedUrlOptions, type StoredObject } from './storage.ts';

export interface S3StorageOptions {
  bucket: string;
  /** An S3-compatible endpoint (MinIO, s3rver…); unset for AWS itself. */
  endpoint?: string;
  /** @default 'us-east-1' */
  region?: string;
  /** Static credentials; unset uses the SDK's default chain (environment, instance role). */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** Path-style URLs (`endpoint/bucket/key`), which most S3-compatible servers need. @default false */
  forcePathStyle?: boolean;
  /** Size of each part of a multipart upload; also what one upload holds in memory per queued part. @default 8 MB */
  partSizeBytes?: number;
  /** Parts uploaded at once. @default 2 */
  queueSize?: number;
  /** Attempts per request; transient errors (5xx, throttling, timeouts) are retried with exponential backoff and jitter. @default 5 */
  maxAttempts?: number;
}

/**
 * Model files in an S3 bucket. Writes go through lib-storage's multipart upload, so a large
 * file is sent in parts as it streams in and never held whole; a failed or abandoned upload is
 * aborted, which discards its parts.
 */
export class S3Storage implements ModelStorage {
  readonly client: S3Client;
  private readonly bucket: string;
  private readonly partSize: number;
  private readonly queueSize: number;

  constructor(options: S3StorageOptions) {
    this.bucket = options.bucket;
    this.partSize = options.partSizeBytes ?? 8 * 1024 * 1024;
    this.queueSize = options.queueSize ?? 2;
    this.client = new S3Client({
      endpoint: options.endpoint,
      region: options.region ?? 'us-east-1',
      credentials: options.credentials,
      forcePathStyle: options.forcePathStyle ?? false,
      maxAttempts: options.maxAttempts ?? 5,
      retryMode: 'standard',
    });
  }

  /** Creates the bucket when it does not exist (local and test setups). */
  async ensureBucket() {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
    } catch {
      await this.client.send(new CreateBucketCommand({ Bucket: this.bucket }));
    }
  }

  async write(source: Readable): Promise<StoredObject> {
    const key = `tmp/${randomUUID()}`;
    const { tap, result } = hashingTap();
    // pipeline, not pipe: a source that failed before this call fails the tap (and so the upload) instead of leaving it waiting
    pipeline(source, tap, () => {});
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: key, Body: tap },
      partSize: this.partSize,
      queueSize: this.queueSize,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // lib-storage aborts the multipart upload itself; a small file may have gone up in one PUT
      await upload.abort().catch(() => {});
      await this.remove(key).catch(() => {});
      throw error;
    }
    return { key, ...result() };
  }

  async commit(tempKey: string, finalKey: string) {
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: finalKey, CopySource: `${this.bucket}/${tempKey.split('/').map(encodeURIComponent).join('/')}` }),
    );
    await this.remove(tempKey);
  }

  async remove(key: string) {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  async read(key: string) {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`object ${key} has no body`);
    return Buffer.from(await Body.transformToByteArray());
  }

  async readStream(key: string): Promise<Readable> {
    const { Body } = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
    if (!Body) throw new Error(`object ${key} has no body`);
    return Body instanceof Readable ? Body : Readable.fromWeb(Body.transformToWebStream() as never);
  }

  downloadUrl(key: string, options: SignedUrlOptions) {
    const disposition = options.filename ? `attachment; filename="${options.filename.replace(/["\\\r\n]/g, '_')}"` : undefined;
    return getSignedUrl(this.client, new GetObjectCommand({ Bucket: this.bucket, Key: key, ResponseContentDisposition: disposition }), {
      expiresIn: options.expiresInSeconds,
    });
  }

  uploadUrl(key: string, options: SignedUrlOptions) {
    return getSignedUrl(this.client, new PutObjectCommand({ Bucket: this.bucket, Key: key }), { expiresIn: options.expiresInSeconds });
  }
}
