// `npm start`: installs what is missing, checks the services, then runs the whole platform.
import { spawn } from 'node:child_process';
import { install, root } from './lib/bootstrap.mjs';
import { missingServices } from './lib/services.mjs';

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
