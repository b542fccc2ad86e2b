import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import { formatGuard, sniffFormat } from '../src/sniffFormat.ts';

/** Streams `chunks` through the guard; resolves with the bytes that got past it. */
async function pass(chunks: Buffer[]) {
  let passed = 0;
  await pipeline(
    Readable.from(chunks),
    formatGuard('f.bin'),
    new Writable({
      write(chunk, _e, done) {
        passed += chunk.length;
        done();
      },
    }),
  );
  return passed;
}

describe('formatGuard', () => {
  it('lets a binary STL, a 3MF zip and text through whole', async () => {
    // a binary STL of two (degenerate) triangles: 80-byte header, count, 50 bytes each
    const stl = Buffer.alloc(84 + 2 * 50);
    stl.writeUInt32LE(2, 80);
    expect(await pass([stl.subarray(0, 50), stl.subarray(50)])).toBe(stl.length);
    expect(sniffFormat(stl.subarray(0, 4096), stl.length)).toBe('STL');
    const zip = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(5000, 1)]);
    expect(await pass([zip])).toBe(zip.length);
    const obj = Buffer.from(`v 0 0 0\n${'# x\n'.repeat(2000)}`);
    expect(await pass([obj])).toBe(obj.length);
  });

  it('stops a binary file as soon as it is longer than the STL its header describes', async () => {
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47]), Buffer.alloc(80)]);
    const chunks = [png, ...Array.from({ length: 100 }, () => Buffer.alloc(64 * 1024, 3))];
    await expect(pass(chunks)).rejects.toThrow(/not an STL, OBJ or 3MF/);
  });
});
