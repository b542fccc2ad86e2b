import { createHash } from 'node:crypto';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { gql, graphql, type Stack, startS3Server, startStack, stlCube, uploadFile } from '@fabline/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The same upload path with STORAGE=s3, against an S3-compatible server the test starts on localhost.
let s3: Awaited<ReturnType<typeof startS3Server>>;
let stack: Stack;
let url: string;
const UPLOAD = 'mutation($file: Upload!) { uploadModel(file: $file) { id sizeBytes sha256 format } }';

const objects = async () => {
  const client = new S3Client({
    endpoint: s3.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  const listed = await client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
  client.destroy();
  return (listed.Contents ?? []).map((o) => o.Key as string);
};

beforeAll(async () => {
  s3 = await startS3Server();
  stack = await startStack({ env: { LOG_LEVEL: 'warn', MAX_UPLOAD_BYTES: String(256 * 1024), AWS_SDK_JS_SUPPRESS_NODE_VERSION_WARNING: '1', ...s3.env } });
  url = stack.urls.gateway;
});
afterAll(async () => {
  await stack?.stop();
  await s3?.stop();
});

describe('uploads on S3 storage', () => {
  it('stores the model in the bucket once, dedupes, refuses a bad format and links a presigned download', async () => {
    const email = `s3${Date.now()}@example.com`;
    const { signUp } = await gql(url, 'mutation($input: SignUpInput!) { signUp(input: $input) { token } }', {
      input: { email, password: 'correct horse battery', name: 'Stella S3' },
    });
    const customer = { token: signUp.token as string };
    const bytes = stlCube(21);
    const first = await uploadFile(url, UPLOAD, { name: 'cube.stl', bytes }, customer);
    expect(first.errors).toBeUndefined();
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(first.data?.uploadModel).toMatchObject({ sizeBytes: bytes.byteLength, sha256, format: 'STL' });
    expect(await objects()).toEqual([expect.stringContaining(sha256)]);

    const second = await uploadFile(url, UPLOAD, { name: 'again.stl', bytes }, customer);
    expect(second.data?.uploadModel.id).toBe(first.data?.uploadModel.id);
    expect((await objects()).length).toBe(1);

    const bad = await uploadFile(url, UPLOAD, { name: 'x.stl', bytes: new Uint8Array(300).fill(1) }, customer);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const big = await uploadFile(url, UPLOAD, { name: 'big.stl', bytes: new Uint8Array(300 * 1024).fill(32) }, customer);
    expect(big.status).toBe(413);
    expect((await objects()).length).toBe(1);

    const model = await graphql(url, 'query($id: ID!) { model(id: $id) { downloadUrl } }', { id: first.data?.uploadModel.id }, customer);
    const link = model.data?.model as { downloadUrl: string };
    expect(link.downloadUrl).toContain('X-Amz-Signature=');
    expect(new Uint8Array(await (await fetch(link.downloadUrl)).arrayBuffer())).toEqual(bytes);
  });
});
