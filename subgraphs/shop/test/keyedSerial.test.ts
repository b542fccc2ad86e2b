import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { keyedSerial } from '../src/consumers.ts';

describe('keyedSerial (one order’s status events apply in arrival order)', () => {
  it('runs one key’s tasks one after another in order, and other keys alongside', async () => {
    const inOrder = keyedSerial();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await sleep(ms);
      log.push(`end ${name}`);
      return name;
    };
    const results = await Promise.all([inOrder('a', task('a1', 30)), inOrder('a', task('a2', 1)), inOrder('b', task('b1', 1))]);
    expect(results).toEqual(['a1', 'a2', 'b1']);
    // b1 did not wait for a1; a2 started only after a1 ended
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
  });

  it('goes on with the next task of a key after one failed, and reports the failure to its caller', async () => {
    const inOrder = keyedSerial();
    const failed = inOrder('a', async () => {
      throw new Error('boom');
    });
    const next = inOrder('a', async () => 'next');
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('next');
  });
});
