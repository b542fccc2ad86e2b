import { UploadError } from '@fabline/shared/multipart';
import type { FileUpload } from 'graphql-upload/processRequest.mjs';
import Upload from 'graphql-upload/Upload.mjs';
import { describe, expect, it } from 'vitest';
import { findUploads, multipartBody } from '../src/uploads.ts';

const QUERY = 'mutation($file: Upload!) { uploadModel(file: $file) { id } }';

/** Reads the forwarded body to its end or its error. */
async function drain(body: AsyncIterable<unknown>) {
  try {
    for await (const _chunk of body);
    return 'ended';
  } catch (error) {
    return error;
  }
}

describe('multipartBody', () => {
  it('keeps the reason when the file had already failed before it was forwarded, so the client gets its status', async () => {
    const tooLarge = new UploadError('The file big.obj is larger than the limit of 1024 bytes', 413);
    const upload = new Upload();
    upload.resolve({
      filename: 'big.obj',
      mimetype: 'model/obj',
      encoding: '7bit',
      // what graphqlMultipart does for a file that failed before it was read
      createReadStream: () => {
        throw tooLarge;
      },
    } as FileUpload);
    const variables = { file: upload };
    const { body, failure } = multipartBody(QUERY, variables, findUploads(variables));
    expect(await drain(body)).toBe(tooLarge);
    expect(failure()).toBe(tooLarge);
  });
});
