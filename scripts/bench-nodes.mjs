// `npm run bench:nodes -- <bench> [arguments]`: one benchmark (a root `bench:<name>` script) run once on
// the Node that started this script (e.g. the machine's Node 20) and once on the project's pinned Node
// (.nvmrc), one after the other, each output under a line naming its Node: the figures side by side.
// Every process the bench starts (through process.execPath or `node` on PATH) runs on that Node too.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { delimiter, dirname } from 'node:path';
import { pnpmCommand, root } from './lib/bootstrap.mjs';
import { installNode, nodeVersion } from './lib/node.mjs';

const [name, ...args] = process.argv.slice(2);
const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts;
const command = scripts[`bench:${name}`];
const prefix = 'node scripts/pnpm.mjs ';
if (!command?.startsWith(prefix) || command.includes('&&')) {
  const names = Object.keys(scripts).filter((s) => s.startsWith('bench:') && scripts[s].startsWith(prefix) && !scripts[s].includes('&&'));
  console.error(`usage: npm run bench:nodes -- <bench> [arguments]; <bench> is one of ${names.map((s) => s.slice(6)).join(', ')}`);
  process.exit(2);
}
const nodes = [process.execPath];
const pinned = installNode();
if (process.versions.node !== nodeVersion) nodes.push(pinned);

let failed = 0;
for (const node of nodes) {
  const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`\n━━ bench:${name} on Node ${version} (${node})`);
  const env = { ...process.env, PATH: [dirname(node), process.env.PATH].join(delimiter) };
  const [pnpm, ...pnpmPrefix] = pnpmCommand();
  const result = spawnSync(pnpm, [...pnpmPrefix, ...command.slice(prefix.length).split(' '), ...args], { cwd: root, stdio: 'inherit', env });
  if (result.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
