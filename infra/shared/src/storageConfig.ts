import type { Request, Response, Router } from 'express';
import express from 'express';
import { z } from 'zod';
import { envFlag } from './env.ts';
import { discardBody, idleGuard } from './multipart.ts';
import { S3Storage } from './s3Storage.ts';
import { fileKeyOf, LocalStorage, type ModelStorage } from './storage.ts';

const flag = envFlag(false);

/** Storage settings, spread into the env shape of every process that reads or writes model files. */
export const storageEnvShape = {
  /** `local`: a folder under DATA_DIR; `s3`: an S3-compatible bucket. @default local */
  STORAGE: z.enum(['local', 's3']).default('local'),
  S3_ENDPOINT: z.string().url().optional(),
  /** @default fabline-models */
  S3_BUCKET: z.string().default('fabline-models'),
  /** @default us-east-1 */
  S3_REGION: z.string().default('us-east-1'),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  /** @default false */
  S3_FORCE_PATH_STYLE: flag,
  /** Create the bucket at start when missing (local S3-compatible servers). @default false */
  S3_CREATE_BUCKET: flag,
  /** Where clients reach `/files/…` of the local adapter's signed URLs (the gateway). @default http://localhost:4000 */
  FILES_PUBLIC_URL: z.string().url().default('http://localhost:4000'),
};

type StorageEnv = z.output<z.ZodObject<typeof storageEnvShape>> & { DATA_DIR: string; INTERNAL_SECRET: string };

/** The storage adapter the environment selects. */
export async function createStorage(env: StorageEnv): Promise<ModelStorage> {
  if (env.STORAGE === 'local') return new LocalStorage(env.DATA_DIR, { signingSecret: `files:${env.INTERNAL_SECRET}`, publicUrl: env.FILES_PUBLIC_URL });
  const storage = new S3Storage({
    bucket: env.S3_BUCKET,
    endpoint: env.S3_ENDPOINT,
    region: env.S3_REGION,
    forcePathStyle: env.S3_FORCE_PATH_STYLE,
    credentials:
      env.S3_ACCESS_KEY_ID && env.S3_SECRET_ACCESS_KEY ? { accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY } : undefined,
  });
  if (env.S3_CREATE_BUCKET) await storage.ensureBucket();
  return storage;
}

const refusal = (code: string, message: string) => ({ errors: [{ message, extensions: { code } }] });

export interface LocalFileRoutesOptions {
  /** A PUT body from which no byte arrives for this long is ended, and nothing of it kept. @default 60 s */
  idleTimeoutMs?: number;
}

/**
 * Serves the local adapter's signed URLs: GET streams the object, PUT stores the body (the
 * direct-upload flow) up to `maxBytes`. Nothing is served without a valid, unexpired signature
 * over the key, the expiry and the download's filename.
 */
export function localFileRoutes(storage: ModelStorage, maxBytes: number, options: LocalFileRoutesOptions = {}): Router {
  const idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  const router = express.Router();
  const check = (method: 'GET' | 'PUT', req: Request, res: Response) => {
    const key = fileKeyOf(req.path);
    const query = (name: string) => (typeof req.query[name] === 'string' ? (req.query[name] as string) : '');
    const ok = key !== null && storage instanceof LocalStorage && storage.verify(method, key, Number(query('expires')), query('signature'), query('filename'));
    if (!ok) {
      if (method === 'PUT') discardBody(req);
      res.status(403).json(refusal('FORBIDDEN', 'The link is invalid or has expired'));
    }
    return ok ? key : null;
  };
  router.get('/*path', async (req, res) => {
    const key = check('GET', req, res);
    if (!key) return;
    try {
      const stream = await storage.readStream(key);
      const filename = typeof req.query.filename === 'string' ? req.query.filename.replace(/["\\\r\n]/g, '_') : 'model';
      res.setHeader('content-type', 'application/octet-stream');
      res.setHeader('content-disposition', `attachment; filename="${filename}"`);
      stream.pipe(res);
    } catch {
      res.status(404).json(refusal('NOT_FOUND', 'No such file'));
    }
  });
  router.put('/*path', async (req, res) => {
    const key = check('PUT', req, res);
    if (!key || !(storage instanceof LocalStorage)) return;
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      // refused before reading: the answer goes out, a bounded rest of the body is thrown away
      discardBody(req);
      res.status(413).json(refusal('PAYLOAD_TOO_LARGE', `The file is ${declared} bytes, larger than the limit of ${maxBytes} bytes`));
      return;
    }
    const stopIdleGuard = idleGuard(req, idleTimeoutMs, () => {
      const message = `No data of the upload arrived for ${idleTimeoutMs} ms; the upload was ended`;
      // the answer first, then the body is cut: the write fails and removes its temporary file
      res.once('finish', () => req.destroy(Object.assign(new Error(message), { status: 408 })));
      res.status(408).json(refusal('BAD_USER_INPUT', message));
    });
    try {
      await storage.writeAt(key, req, maxBytes);
      res.status(200).end();
    } catch (error) {
      const status = (error as { status?: number }).status;
      const answer = status === 413 || status === 408 ? status : 400;
      if (!req.complete) discardBody(req, { idleMs: Math.min(5000, idleTimeoutMs) });
      if (res.writable && !res.headersSent) res.status(answer).json(refusal(answer === 413 ? 'PAYLOAD_TOO_LARGE' : 'BAD_USER_INPUT', (error as Error).message));
    } finally {
      stopIdleGuard();
    }
  });
  return router;
}
