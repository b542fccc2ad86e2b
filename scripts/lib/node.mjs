// Plain Node, no dependencies: the Node.js every command runs on. The project runs on the Node LTS
// pinned in .nvmrc (Node 24). A script started by an older `node` (these machines have Node 20)
// installs that version once from npm's registry (the `node` package, into a cache outside the
// checkout) and runs itself again under it, with it first on PATH, so everything it starts (pnpm,
// vitest, the platform's processes through process.execPath) runs on it too.
// FABLINE_NODE=system keeps the `node` on PATH instead, if it is Node 22 or later.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** The pinned version (`24.21.0`), from .nvmrc. */
export const nodeVersion = readFileSync(join(root, '.nvmrc'), 'utf8').trim().replace(/^v/, '');
/** The oldest major a developer may choose with FABLINE_NODE=system. */
export const oldestSupportedMajor = 22;

const major = (version) => Number(version.split('.')[0]);

/** Where the pinned Node lives: FABLINE_NODE_CACHE, else $XDG_CACHE_HOME (or ~/.cache)/fabline. */
export function nodeCacheDir(env = process.env) {
  const cache = env.FABLINE_NODE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fabline');
  return join(cache, `node-v${nodeVersion}`);
}

/**
 * What to run on: `{ use: 'this' }` (this process's Node is the one), `{ use: 'pinned', bin }`
 * (run again under the pinned one), or `{ error }` (FABLINE_NODE=system on a Node too old).
 */
export function chooseNode(env = process.env, version = process.versions.node) {
  if (major(version) >= major(nodeVersion)) return { use: 'this' };
  if (env.FABLINE_NODE === 'system') {
    if (major(version) >= oldestSupportedMajor) return { use: 'this' };
    return {
      error: `FABLINE_NODE=system needs Node ${oldestSupportedMajor} or later; this node is ${version}. Unset FABLINE_NODE to use Node ${nodeVersion}.`,
    };
  }
  if (env.FABLINE_NODE && env.FABLINE_NODE !== 'pinned') return { error: `FABLINE_NODE is "${env.FABLINE_NODE}"; allowed: system, pinned (the default).` };
  return { use: 'pinned', bin: join(nodeCacheDir(env), 'node_modules', 'node', 'bin', 'node') };
}

/** Installs the pinned Node from npm's registry (once: offline afterwards); returns the binary. */
export function installPinnedNode(env = process.env) {
  const dir = nodeCacheDir(env);
  const bin = join(dir, 'node_modules', 'node', 'bin', 'node');
  if (existsSync(bin)) return bin;
  console.log(
    `Node ${process.versions.node} is older than the project's Node ${nodeVersion}: installing it from npm's registry into ${dir} (once; FABLINE_NODE=system keeps a Node ≥ ${oldestSupportedMajor} instead)`,
  );
  mkdirSync(dirname(dir), { recursive: true });
  // into a fresh folder renamed at the end: an interrupted or concurrent install never leaves half a Node
  const staging = mkdtempSync(`${dir}.partial-`);
  const npm = spawnSync(
    'npm',
    ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `node@${nodeVersion}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...env, CI: 'true' },
    },
  );
  const staged = join(staging, 'node_modules', 'node', 'bin', 'node');
  const probe = npm.status === 0 ? spawnSync(staged, ['--version'], { encoding: 'utf8' }) : undefined;
  if (probe?.stdout.trim() !== `v${nodeVersion}`) {
    rmSync(staging, { recursive: true, force: true });
    const error = new Error(
      `could not install Node ${nodeVersion} (npm install node@${nodeVersion} exited ${npm.status ?? npm.signal}); install Node ${nodeVersion} yourself (e.g. nvm install), or run with FABLINE_NODE=system on Node ≥ ${oldestSupportedMajor}`,
    );
    error.exitCode = 1;
    throw error;
  }
  try {
    renameSync(staging, dir);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another command installed it meanwhile
  }
  return bin;
}

/**
 * Call first in every entry script. Returns on the right Node; otherwise runs this script again
 * under the pinned Node (forwarding signals, exiting with its code) and never resolves.
 */
export function usePinnedNode() {
  const choice = chooseNode();
  if (choice.error) {
    console.error(choice.error);
    process.exit(1);
  }
  if (choice.use === 'this') return Promise.resolve();
  let bin;
  try {
    bin = installPinnedNode();
  } catch (error) {
    console.error(error.message);
    process.exit(error.exitCode ?? 1);
  }
  const env = { ...process.env, PATH: [dirname(bin), process.env.PATH].filter(Boolean).join(delimiter) };
  const child = spawn(bin, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1)));
  return new Promise(() => {});
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
