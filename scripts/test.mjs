// `npm test`: installs what it needs, checks the services, then lint, types, generated-file
// drift and every test (unit and end-to-end) against the real PostgreSQL, Redis and RabbitMQ.
import { existsSync, readFileSync } from 'node:fs';
import { install, pnpm, root, run } from './lib/bootstrap.mjs';
import { missingServices } from './lib/services.mjs';

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
const missing = await missingServices();
if (missing.length) {
  for (const line of missing) console.error(line);
  process.exit(1);
}
step('lint (biome)', () => pnpm(['exec', 'biome', 'check', '.']));
step('typecheck', () => pnpm(['exec', 'turbo', 'run', 'typecheck', '--output-logs=errors-only'], { env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' } }));
step('generated artefacts are up to date', () => run(process.execPath, ['scripts/check-generated.mjs']));

const report = `${root}.data/vitest-report.json`;
let failed = false;
step('tests (vitest: unit, e2e)', () => {
  try {
    pnpm(['exec', 'vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)]);
  } catch {
    failed = true;
  }
});
const { numPassedTests = 0, numFailedTests = 0, numPendingTests = 0, numTodoTests = 0 } = JSON.parse(readFileSync(report, 'utf8'));
console.log(`\ntests: ${numPassedTests} passed, ${numFailedTests} failed, ${numPendingTests + numTodoTests} skipped`);
process.exit(failed || numFailedTests > 0 || numPassedTests === 0 ? 1 : 0);
