// `node scripts/pnpm.mjs <pnpm arguments>`: what the root package.json scripts run instead of calling
// pnpm, turbo or biome directly, so every README command works on a fresh clone where only node and
// npm exist. Installs the workspace when it is missing, then runs the pinned pnpm (from PATH or npx).
import { install, pnpm } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

try {
  install();
  pnpm(process.argv.slice(2));
} catch (error) {
  console.error(error.message);
  process.exit(error.exitCode ?? 1);
}
