import { requireViewer } from '@fabline/shared/auth';
import { requestError, userError } from '@fabline/shared/errors';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import type { ShopContext } from './context.ts';
import { Prisma } from './generated/prisma/client.ts';
import { sniffFormat } from './sniffFormat.ts';

const cleanName = (name: string) => name.replace(/[/\\\0]/g, '_').slice(0, 255) || 'model';

/**
 * Streams the upload into storage while hashing it; the same bytes from the same owner return
 * the model already stored, and anything that fails leaves no object and no row behind.
 */
export async function uploadModel(ctx: ShopContext, file: Promise<FileUpload>) {
  const me = requireViewer(ctx.viewer, ['CUSTOMER', 'PARTNER']);
  const upload = await file;
  let stored: Awaited<ReturnType<ShopContext['storage']['write']>>;
  try {
    stored = await ctx.storage.write(upload.createReadStream());
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 413)
      throw requestError('PAYLOAD_TOO_LARGE', `The file is larger than the limit of ${ctx.env.MAX_UPLOAD_BYTES} bytes`, {
        limitBytes: ctx.env.MAX_UPLOAD_BYTES,
      });
    throw userError('BAD_USER_INPUT', `The upload did not complete: ${(error as Error).message}`);
  }
  const format = sniffFormat(stored.head, stored.sizeBytes);
  if (!format || stored.sizeBytes === 0) {
    await ctx.storage.remove(stored.key);
    throw userError('BAD_USER_INPUT', `${upload.filename} is not an STL, OBJ or 3MF model (judged by its content)`);
  }
  const existing = await ctx.prisma.model3D.findUnique({ where: { ownerId_sha256: { ownerId: me.id, sha256: stored.sha256 } } });
  if (existing) {
    await ctx.storage.remove(stored.key);
    return existing;
  }
  const finalKey = `models/${stored.sha256.slice(0, 2)}/${stored.sha256}-${me.id}`;
  await ctx.storage.commit(stored.key, finalKey);
  try {
    return await ctx.prisma.model3D.create({
      data: { ownerId: me.id, filename: cleanName(upload.filename), sizeBytes: BigInt(stored.sizeBytes), sha256: stored.sha256, format, storageKey: finalKey },
    });
  } catch (error) {
    // a concurrent upload of the same bytes won the race: answer with its row
    if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
      return ctx.prisma.model3D.findUniqueOrThrow({ where: { ownerId_sha256: { ownerId: me.id, sha256: stored.sha256 } } });
    }
    await ctx.storage.remove(finalKey);
    throw error;
  }
}
