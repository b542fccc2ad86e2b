import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { UploadError } from '@fabline/shared/multipart';
import { LocalStorage } from '@fabline/shared/storage';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ShopContext } from '../src/context.ts';
import { uploadModel } from '../src/uploads.ts';

// uploadModel against a real folder; the failures happen before any database access.
let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'fabline-shop-uploads-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const context = () =>
  ({
    viewer: { id: 'c0ffee00-0000-4000-8000-000000000001', role: 'CUSTOMER' },
    storage: new LocalStorage(root),
    env: { MAX_UPLOAD_BYTES: 1024 },
  }) as unknown as ShopContext;

/** Every file under the storage folder. */
const files = () =>
  readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1));

/** An upload whose stream failed (the request to the shop was cut) before the resolver read it. */
async function failedUpload(error: Error): Promise<FileUpload> {
  const stream = new PassThrough();
  stream.on('error', () => {});
  stream.write('v 0 0 0\n');
  stream.destroy(error);
  // the stream has emitted its error by the time the resolver asks for it
  await new Promise((resolve) => stream.once('close', resolve));
  const file: FileUpload = { filename: 'cut.obj', mimetype: 'model/obj', encoding: '7bit', createReadStream: () => stream as never };
  return file;
}

/** The resolver's outcome, or 'pending' when it has not settled within a while. */
const settled = (promise: Promise<unknown>) =>
  Promise.race([
    promise.then(
      () => 'resolved',
      (error: Error & { extensions?: { code?: string } }) => error.extensions?.code ?? error.message,
    ),
    sleep(3000, 'pending'),
  ]);

describe('uploadModel', () => {
  it('fails, storing nothing, when the upload stream failed before it was read', async () => {
    const outcome = await settled(uploadModel(context(), failedUpload(new UploadError('The client disconnected before the upload finished', 499))));
    expect(outcome).toBe('BAD_USER_INPUT');
    await sleep(50);
    expect(files()).toEqual([]);
  });

  it('answers PAYLOAD_TOO_LARGE when the stream was cut by the size limit before it was read', async () => {
    const outcome = await settled(uploadModel(context(), failedUpload(new UploadError('The file cut.obj is larger than the limit of 1024 bytes', 413))));
    expect(outcome).toBe('PAYLOAD_TOO_LARGE');
    await sleep(50);
    expect(files()).toEqual([]);
  });

  it('answers with the reason when the upload refuses to hand out a stream that already failed', async () => {
    const refusing = (error: Error): Promise<FileUpload> =>
      Promise.resolve({
        filename: 'cut.obj',
        mimetype: 'model/obj',
        encoding: '7bit',
        // what graphqlMultipart does once the file has failed
        createReadStream: () => {
          throw error;
        },
      });
    expect(await settled(uploadModel(context(), refusing(new UploadError('The file cut.obj is larger than the limit of 1024 bytes', 413))))).toBe(
      'PAYLOAD_TOO_LARGE',
    );
    expect(await settled(uploadModel(context(), refusing(new UploadError('The client disconnected before the upload finished', 499))))).toBe('BAD_USER_INPUT');
    expect(files()).toEqual([]);
  });
});
