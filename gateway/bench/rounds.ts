/**
 * Interleaved rounds for benches that compare gateways on one machine: drift, GC and the previous
 * run's aftermath hit whichever gateway runs first or follows a heavy one, so each round starts with
 * another gateway and every other block of rounds runs backwards, and verdicts use medians.
 */
export function roundOrder<T>(targets: readonly T[], round: number): T[] {
  const shift = round % targets.length;
  const rotated = [...targets.slice(shift), ...targets.slice(0, shift)];
  return Math.floor(round / targets.length) % 2 ? rotated.reverse() : rotated;
}

export const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] ?? Number.NaN) : ((sorted[mid - 1] ?? Number.NaN) + (sorted[mid] ?? Number.NaN)) / 2;
};

/** The middle half of the values: how far one round may stray from the median. */
export const quartiles = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.round(q * (sorted.length - 1)))] ?? Number.NaN;
  return [at(0.25), at(0.75)] as const;
};

/** The median over rounds of `values[i] / baseline[i]`: each round compared with its own baseline. */
export const pairedMedian = (values: number[], baseline: number[]) => median(values.map((value, i) => value / (baseline[i] ?? Number.NaN)));

/** Percentile `p` (0-100) of values sorted ascending. */
export const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
