import { randomUUID } from 'node:crypto';
import { pipeline, type Readable, Transform } from 'node:stream';
import { requireViewer, type Viewer } from '@fabline/shared/auth';
import { requestError, userError } from '@fabline/shared/errors';
import { EVENTS, type ModelUploaded } from '@fabline/shared/events';
import { isId } from '@fabline/shared/ids';
import type { StoredObject } from '@fabline/shared/storage';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import type { ShopContext } from './context.ts';
import { Prisma } from './generated/prisma/client.ts';
import { formatGuard, sniffFormat } from './sniffFormat.ts';

const cleanName = (name: string) => name.replace(/[/\\\0]/g, '_').slice(0, 255) || 'model';
const incomingKey = (ownerId: string, uploadId: string) => `incoming/${ownerId}/${uploadId}`;

const tooLarge = (ctx: ShopContext) =>
  requestError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${ctx.env.MAX_UPLOAD_BYTES} bytes`, { limitBytes: ctx.env.MAX_UPLOAD_BYTES });

/** Streams `source` into storage under a temporary key; limits and a broken stream leave nothing behind. */
async function store(ctx: ShopContext, source: Readable): Promise<StoredObject> {
  try {
    return await ctx.storage.write(source);
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 413) throw tooLarge(ctx);
    if (status === 400) throw userError('BAD_USER_INPUT', (error as Error).message);
    throw userError('BAD_USER_INPUT', `The upload did not complete: ${(error as Error).message}`);
  }
}

/**
 * `source` through the format guard, so a file that cannot be a model stops being read early.
 * Linked with `pipeline`, not `pipe` and error listeners: a source that had already failed when
 * it was handed over (the request to the shop cut while the resolver was still starting) has
 * emitted its error already, and piping it would give a guard that never ends nor errors, and a
 * write that waits on it forever with its temporary file open.
 */
function guarded(source: Readable, filename: string) {
  // a failure reaches the writer as the guard's error; the callback has nothing to add
  return pipeline(source, formatGuard(filename), () => {});
}

/**
 * Checks the format from the content, answers with the owner's existing model for the same
 * bytes (storing nothing new), or gives the object its final key and a row; then announces it
 * so the geometry is analysed off the request.
 */
async function register(ctx: ShopContext, me: Viewer, stored: StoredObject, filename: string) {
  const format = sniffFormat(stored.head, stored.sizeBytes);
  if (!format || stored.sizeBytes === 0) {
    await ctx.storage.remove(stored.key);
    throw userError('BAD_USER_INPUT', `${filename} is not an STL, OBJ or 3MF model (judged by its content)`);
  }
  const existing = await ctx.prisma.model3D.findUnique({ where: { ownerId_sha256: { ownerId: me.id, sha256: stored.sha256 } } });
  if (existing) {
    await ctx.storage.remove(stored.key);
    return existing;
  }
  const finalKey = `models/${stored.sha256.slice(0, 2)}/${stored.sha256}-${me.id}`;
  await ctx.storage.commit(stored.key, finalKey);
  let model: Awaited<ReturnType<ShopContext['prisma']['model3D']['create']>>;
  try {
    model = await ctx.prisma.model3D.create({
      data: { ownerId: me.id, filename: cleanName(filename), sizeBytes: BigInt(stored.sizeBytes), sha256: stored.sha256, format, storageKey: finalKey },
    });
  } catch (error) {
    // a concurrent upload of the same bytes won the race: answer with its row
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return ctx.prisma.model3D.findUniqueOrThrow({ where: { ownerId_sha256: { ownerId: me.id, sha256: stored.sha256 } } });
    }
    await ctx.storage.remove(finalKey);
    throw error;
  }
  const event: ModelUploaded = { modelId: model.id, ownerId: me.id, sha256: model.sha256, format, sizeBytes: stored.sizeBytes, storageKey: finalKey };
  // the model is stored and usable either way; analysis is a bonus that must not fail the upload
  await ctx.bus.publish(EVENTS.modelUploaded, event).catch((err) => ctx.log.warn({ err, modelId: model.id }, 'model.uploaded not published'));
  return model;
}

/**
 * Streams the upload into storage while hashing it; the same bytes from the same owner return
 * the model already stored, and anything that fails leaves no object and no row behind.
 */
export async function uploadModel(ctx: ShopContext, file: Promise<FileUpload>) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER']);
  let upload: FileUpload;
  let source: Readable;
  try {
    upload = await file;
    // throws when the upload failed before this resolver got to it (the request was cut)
    source = upload.createReadStream();
  } catch (error) {
    if ((error as { status?: number }).status === 413) throw tooLarge(ctx);
    throw userError('BAD_USER_INPUT', `The upload did not complete: ${(error as Error).message}`);
  }
  const stored = await store(ctx, guarded(source, upload.filename));
  return register(ctx, me, stored, upload.filename);
}

/** A signed URL the client PUTs a (very large) file to, bypassing GraphQL; `completeUpload` then registers it. */
export async function createUploadUrl(ctx: ShopContext) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER']);
  const uploadId = randomUUID();
  const ttl = ctx.env.FILE_URL_TTL_SECONDS;
  const url = await ctx.storage.uploadUrl(incomingKey(me.id, uploadId), { expiresInSeconds: ttl });
  return { uploadId, url, method: 'PUT', maxBytes: ctx.env.MAX_UPLOAD_BYTES, expiresAt: new Date(Date.now() + ttl * 1000) };
}

/** Registers a file PUT to a `createUploadUrl` link, with the checks `uploadModel` makes, by reading the stored object. */
export async function completeUpload(ctx: ShopContext, uploadId: string, filename: string) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER']);
  if (!isId(uploadId)) throw userError('BAD_USER_INPUT', `${uploadId} is not an upload id from createUploadUrl`);
  const key = incomingKey(me.id, uploadId);
  let source: Readable;
  try {
    source = await ctx.storage.readStream(key);
  } catch {
    throw userError('NOT_FOUND', `Nothing was uploaded for ${uploadId}, or it was already completed`);
  }
  const limit = ctx.env.MAX_UPLOAD_BYTES;
  let size = 0;
  const capped = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      done(size > limit ? Object.assign(new Error('too large'), { status: 413 }) : null, chunk);
    },
  });
  try {
    // linked like `guarded`: a read error, even one before this line, fails the write
    const limited = pipeline(source, capped, () => {});
    const stored = await store(ctx, guarded(limited, filename));
    return await register(ctx, me, stored, filename);
  } finally {
    await ctx.storage.remove(key).catch(() => {});
  }
}
