// Plain Node: checks turbo's task graph for a task that writes files (a generator) running beside
// tasks that may read them. Turbo runs every task whose dependencies are done at once, so a
// generator in the graph of e.g. `typecheck` may rewrite src/generated while a tsc reads it.
import { spawnSync } from 'node:child_process';
import { pnpmCommand, root } from './bootstrap.mjs';

/** Task names whose command rewrites files that other tasks read. */
export const WRITER_TASKS = new Set(['generate']);

/**
 * Each pair of a generator and a task that runs a command, is not a dependency of the generator and
 * does not wait for it (transitively): such a task may run while the generator writes.
 * `dry` is the output of `turbo run <task> --dry=json`.
 */
export function writersBesideReaders(dry) {
  const tasks = new Map(dry.tasks.map((task) => [task.taskId, task]));
  const runs = (task) => task.command && task.command !== '<NONEXISTENT>';
  const closure = new Map();
  const dependsOn = (id) => {
    if (closure.has(id)) return closure.get(id);
    const all = new Set();
    closure.set(id, all);
    for (const dep of tasks.get(id)?.dependencies ?? []) {
      all.add(dep);
      for (const transitive of dependsOn(dep)) all.add(transitive);
    }
    return all;
  };
  const pairs = [];
  for (const writer of dry.tasks) {
    if (!WRITER_TASKS.has(writer.task) || !runs(writer)) continue;
    for (const reader of dry.tasks) {
      if (reader === writer || !runs(reader)) continue;
      if (dependsOn(reader.taskId).has(writer.taskId) || dependsOn(writer.taskId).has(reader.taskId)) continue;
      pairs.push({ writer: writer.taskId, reader: reader.taskId });
    }
  }
  return pairs;
}

/** `turbo run <task> --dry=json` of this repository. */
export function dryRun(task) {
  const [command, ...prefix] = pnpmCommand();
  const result = spawnSync(command, [...prefix, 'exec', 'turbo', 'run', task, '--dry=json'], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
  });
  if (result.status !== 0) throw new Error(`turbo run ${task} --dry=json failed: ${result.stderr}`);
  return JSON.parse(result.stdout);
}
