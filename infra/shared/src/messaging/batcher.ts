export interface BatchOptions {
  /** Most items applied together. @default 100 */
  batchSize?: number;
  /** How long the first item of a batch waits for more while nothing is being applied. @default 5 */
  maxWaitMs?: number;
}

interface Waiting<T> {
  item: T;
  resolve: () => void;
  reject: (err: unknown) => void;
}

/**
 * Groups items given one by one into batches applied one after another, in the order the items
 * came: each returned promise settles with its item's batch. While a batch is applied the next one
 * collects, so under load batches grow to `batchSize` without waiting. When a batch fails, its items
 * are applied again one at a time, in order, so only an item that fails on its own is rejected
 * (the bus then retries or dead-letters that one message) and the others are not held up by it.
 */
export function createBatcher<T>(apply: (items: T[]) => Promise<void>, { batchSize = 100, maxWaitMs = 5 }: BatchOptions = {}) {
  let pending: Waiting<T>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  const run = async (batch: Waiting<T>[]) => {
    try {
      await apply(batch.map((w) => w.item));
      for (const w of batch) w.resolve();
      return;
    } catch (err) {
      if (batch.length === 1) {
        batch[0]?.reject(err);
        return;
      }
    }
    for (const w of batch) {
      try {
        await apply([w.item]);
        w.resolve();
      } catch (err) {
        w.reject(err);
      }
    }
  };

  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (running || pending.length === 0) return;
    running = true;
    const batch = pending.slice(0, batchSize);
    pending = pending.slice(batchSize);
    void run(batch).finally(() => {
      running = false;
      // what arrived meanwhile has waited long enough
      flush();
    });
  };

  return (item: T) =>
    new Promise<void>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (pending.length >= batchSize) flush();
      else timer ??= setTimeout(flush, maxWaitMs);
    });
}

/**
 * Splits items into runs of consecutive items with the same key, in order. A consumer applies a batch
 * run by run (all placements, then the cancellation that followed them, ...), so each event acts
 * as it would have alone, while each run is one statement.
 */
export function consecutiveRuns<T, K>(items: readonly T[], key: (item: T) => K): { key: K; items: T[] }[] {
  const runs: { key: K; items: T[] }[] = [];
  for (const item of items) {
    const k = key(item);
    const last = runs.at(-1);
    if (last && last.key === k) last.items.push(item);
    else runs.push({ key: k, items: [item] });
  }
  return runs;
}
