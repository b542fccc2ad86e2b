import assert from 'node:assert/strict';

/** Orders `rows` like `keys` (null where missing): the shape a DataLoader batch function returns. */
export function byKey<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): (T | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

/** Groups `rows` under `keys` (empty lists where none), keeping row order. */
export function groupBy<T, K>(keys: readonly K[], rows: T[], keyOf: (row: T) => K): T[][] {
  const map = new Map<K, T[]>();
  for (const row of rows) {
    const list = map.get(keyOf(row));
    if (list) list.push(row);
    else map.set(keyOf(row), [row]);
  }
  return keys.map((key) => map.get(key) ?? []);
}

/**
 * Loads the row a foreign key points at: the database keeps it from vanishing, so a missing one is a broken
 * invariant (an internal error), not a null in a non-null field.
 */
export async function loadReferenced<K, V>(loader: { load(key: K): Promise<V | null> }, key: K, what: string): Promise<V> {
  const row = await loader.load(key);
  assert(row !== null, `${what} is missing`);
  return row;
}
