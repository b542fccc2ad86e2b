// `npm test`: installs what it needs, checks the services, then lint, types, generated-file
// drift and every test (unit and end-to-end) against the real PostgreSQL, Redis and RabbitMQ.
import { existsSync, readFileSync } from 'node:fs';
import { install, pnpm, root, run } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';
import { machineProblems, missingServices } from './lib/services.mjs';
import { summarize } from './lib/vitestSummary.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

const step = (title, fn) => {
  console.log(`\n▶ ${title}`);
  try {
    fn();
  } catch (error) {
    console.error(`✖ ${title}: ${error.message}`);
    process.exit(error.exitCode ?? 1);
  }
};

step('install', install);
// the web apps' browser tests drive Debian's chromium; a fresh machine has none
step('chromium for the browser tests', () => {
  if (existsSync('/usr/bin/chromium')) return;
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update'], { env });
  run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { env });
});
const missing = [...(await missingServices()), ...machineProblems(root)];
if (missing.length) {
  for (const line of missing) console.error(line);
  process.exit(1);
}
// a run that died (a killed CI job) leaves its stacks' databases, queues and keys: nothing to fail on
console.log('\n▶ leftovers of earlier test runs');
try {
  run(process.execPath, ['--import', 'tsx', 'scripts/sweep-test-leftovers.ts']);
} catch (error) {
  console.warn(`(not swept: ${error.message})`);
}
step('lint (biome)', () => pnpm(['exec', 'biome', 'check', '.']));
step('task graphs (no generator beside a reader)', () => run(process.execPath, ['scripts/check-task-graph.mjs']));
step('imports: no cycles, layers one way (dependency-cruiser)', () => pnpm(['run', '--silent', 'check:imports']));
step('typecheck', () => pnpm(['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } }));
step('generated artefacts are up to date', () => run(process.execPath, ['scripts/check-generated.mjs']));

const report = `${root}.data/vitest-report.json`;
// names this run for the e2e stacks: after repeated start timeouts they fail at once (infra/dev/src/stack.ts)
process.env.FABLINE_TEST_RUN ??= `${Date.now()}-${process.pid}`;
let failed = false;
step('tests (vitest: unit, e2e)', () => {
  try {
    pnpm(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
  } catch {
    failed = true;
  }
});
const summary = summarize(JSON.parse(readFileSync(report, 'utf8')));
console.log(`\n${summary.text}`);
process.exit(failed || !summary.ok ? 1 : 0);
