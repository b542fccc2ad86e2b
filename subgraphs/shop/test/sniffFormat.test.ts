import { cube, to3mf, toAsciiStl, toBinaryStl, toObj } from '@fabline/mes/geometry/synthetic';
import { describe, expect, it } from 'vitest';
import { sniffFormat } from '../src/sniffFormat.ts';

const head = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 4096));
const sniff = (bytes: Uint8Array) => sniffFormat(head(bytes), bytes.byteLength);

describe('sniffFormat', () => {
  it('recognises each format from its content', () => {
    expect(sniff(toBinaryStl(cube(10)))).toBe('STL');
    expect(sniff(toBinaryStl(cube(10), 'solid pretending to be ASCII'))).toBe('STL');
    expect(sniff(toAsciiStl(cube(10)))).toBe('STL');
    expect(sniff(toObj(cube(10)))).toBe('OBJ');
    expect(sniff(to3mf(cube(10)))).toBe('THREE_MF');
  });

  it('refuses what is not a model, whatever it is called', () => {
    expect(sniff(new TextEncoder().encode('%PDF-1.7\n1 0 obj\n'))).toBeNull();
    expect(sniff(new TextEncoder().encode('hello, this is a note\n'))).toBeNull();
    expect(sniff(Uint8Array.from({ length: 2000 }, (_, i) => (i * 7919) % 256))).toBeNull();
    const truncated = toBinaryStl(cube(10)).subarray(0, 400);
    expect(sniff(truncated)).toBeNull();
  });
});
