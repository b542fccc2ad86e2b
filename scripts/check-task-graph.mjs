// Fails when the task graph of a task npm test runs through turbo has a generator (e.g. a package's
// `generate`) running beside a task that reads what it writes: typecheck once read a half-written
// src/generated that way. Generated files are committed and drift-checked by check-generated.mjs.
import { install } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';
import { dryRun, writersBesideReaders } from './lib/taskGraph.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

install();

let failed = false;
for (const task of ['typecheck', 'lint']) {
  for (const { writer, reader } of writersBesideReaders(dryRun(task))) {
    console.error(`turbo run ${task}: ${writer} writes files while ${reader} may read them (it does not wait for it)`);
    failed = true;
  }
}
if (failed) process.exit(1);
console.log('turbo task graphs: no generator runs beside a reader');
