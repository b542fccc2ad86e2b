// `npm run check:generated`: regenerates every artefact and fails when the committed copy differs (drift).
import { spawnSync } from 'node:child_process';
import { root, run } from './lib/bootstrap.mjs';
import { usePinnedNode } from './lib/node.mjs';

// on Node 24 (.nvmrc): an older node installs it once and runs this script again under it
await usePinnedNode();

run(process.execPath, ['scripts/generate.mjs']);
const paths = [
  'schema',
  'infra/deploy/rabbitmq',
  'docs/configuration.md',
  'subgraphs/shop/src/generated',
  'subgraphs/crm/src/generated',
  'subgraphs/mes/src/generated',
  'web/ui/src/generated',
];
const status = spawnSync('git', ['status', '--porcelain', '--', ...paths], { cwd: root, encoding: 'utf8' });
if (status.stdout.trim()) {
  console.error(`Generated files differ from what is committed; run \`npm run generate\` and commit:\n${status.stdout}`);
  process.exit(1);
}
console.log('generated artefacts are up to date');
