import { describe, expect, it } from 'vitest';
import { createBatcher } from '../src/messaging/batcher.ts';

describe('createBatcher (consumers apply many events per transaction)', () => {
  it('applies items in the order given, one batch at a time, up to the batch size', async () => {
    const batches: number[][] = [];
    let running = 0;
    const add = createBatcher<number>(
      async (items) => {
        running++;
        expect(running).toBe(1);
        batches.push(items);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
      },
      { batchSize: 4, maxWaitMs: 1 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, i) => add(i)));
    expect(batches.flat()).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(Math.max(...batches.map((b) => b.length))).toBe(4);
  });

  it('when a batch fails, applies its items one by one and rejects only the one that fails alone', async () => {
    const applied: number[] = [];
    const add = createBatcher<number>(
      async (items) => {
        if (items.includes(2)) throw new Error(`poison in ${items.join(',')}`);
        applied.push(...items);
      },
      { batchSize: 5, maxWaitMs: 1 },
    );
    const results = await Promise.allSettled([0, 1, 2, 3, 4].map((i) => add(i)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    expect(applied).toEqual([0, 1, 3, 4]);
  });
});
