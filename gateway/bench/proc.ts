import { readdirSync, readFileSync } from 'node:fs';

/** CPU and memory of a process and its descendants (cluster workers), read from Linux /proc. */
const TICKS_PER_SECOND = 100;
const PAGE = 4096;

/** One process's parent, CPU ticks and resident bytes from /proc/<pid>/stat; null when it is gone. */
export function stat(pid: number): { ppid: number; ticks: number; rss: number } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]), rss: Number(fields[21]) * PAGE };
  } catch {
    return null;
  }
}

export function tree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid) continue;
    const s = stat(pid);
    if (s) children.set(s.ppid, [...(children.get(s.ppid) ?? []), pid]);
  }
  const out: number[] = [];
  const walk = (pid: number) => {
    out.push(pid);
    for (const c of children.get(pid) ?? []) walk(c);
  };
  walk(root);
  return out;
}

/** Samples a process tree every `everyMs`: peak RSS (sum over processes) and CPU seconds used since start. */
export function sampleTree(root: number, everyMs = 250) {
  const ticksAt = () => tree(root).reduce((sum, pid) => sum + (stat(pid)?.ticks ?? 0), 0);
  let peakRss = 0;
  const startTicks = ticksAt();
  const started = performance.now();
  const sample = () => {
    const rss = tree(root).reduce((sum, pid) => sum + (stat(pid)?.rss ?? 0), 0);
    peakRss = Math.max(peakRss, rss);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    /** `cpu` is in percent of one core over the sampled time (200 = both cores busy). */
    stop() {
      clearInterval(timer);
      sample();
      const seconds = (performance.now() - started) / 1000;
      return { peakRssMb: peakRss / 1024 / 1024, cpu: ((ticksAt() - startTicks) / TICKS_PER_SECOND / seconds) * 100, processes: tree(root).length };
    },
  };
}
