// `npm run build`: what the image runs, one JavaScript bundle per process in dist/ (infra/deploy/build.mjs);
// `npm start` and the tests run the TypeScript sources instead.
import { install, run } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

try {
  install();
  run(process.execPath, ['infra/deploy/build.mjs', ...process.argv.slice(2)]);
} catch (error) {
  console.error(error.message);
  process.exit(error.exitCode ?? 1);
}
