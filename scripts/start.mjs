// `npm start`: installs what is missing, checks the services, then runs the whole platform.
import { spawn } from 'node:child_process';
import { install, root } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';
import { missingServices } from './lib/services.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

try {
  install();
} catch (error) {
  console.error(error.message);
  process.exit(error.exitCode ?? 1);
}
const missing = await missingServices();
if (missing.length) {
  for (const line of missing) console.error(line);
  process.exit(1);
}
const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/run-platform.ts'], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code) => process.exit(code ?? 0));
