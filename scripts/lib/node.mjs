// Plain Node, no dependencies: the Node.js every command runs on. The project runs on the Node LTS
// pinned in .nvmrc (Node 24). A script started by an older `node` (these machines have Node 20)
// installs that version once from npm's registry (the `node` package, into a cache outside the
// checkout) and runs itself again under it, with it first on PATH, so everything it starts (pnpm,
// vitest, the platform's processes through process.execPath) runs on it too.
// FABLINE_NODE=system keeps the `node` on PATH instead, if it is Node 22 or later; FABLINE_NODE=<version>
// (e.g. 22.23.3, what CI runs the unit tests on) installs and uses that version the same way.
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

/** Where an installed Node lives: FABLINE_NODE_CACHE, else $XDG_CACHE_HOME (or ~/.cache)/fabline. */
export function nodeCacheDir(env = process.env, version = nodeVersion) {
  const cache = env.FABLINE_NODE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'fabline');
  return join(cache, `node-v${version}`);
}

const binIn = (dir) => join(dir, 'node_modules', 'node', 'bin', 'node');

/**
 * What to run on: `{ use: 'this' }` (this process's Node is the one), `{ use: 'install', version }`
 * (run again under that version, installed once), or `{ error }`.
 */
export function chooseNode(env = process.env, current = process.versions.node) {
  const wanted = env.FABLINE_NODE ?? 'pinned';
  if (wanted === 'system') {
    if (major(current) >= oldestSupportedMajor) return { use: 'this' };
    return {
      error: `FABLINE_NODE=system needs Node ${oldestSupportedMajor} or later; this node is ${current}. Unset FABLINE_NODE to use Node ${nodeVersion}.`,
    };
  }
  if (wanted === 'pinned') return major(current) >= major(nodeVersion) ? { use: 'this' } : { use: 'install', version: nodeVersion };
  if (!/^\d+\.\d+\.\d+$/.test(wanted) || major(wanted) < oldestSupportedMajor) {
    return {
      error: `FABLINE_NODE is "${wanted}"; allowed: system, pinned (the default, ${nodeVersion}), or a version ≥ ${oldestSupportedMajor}.0.0 such as 22.23.3`,
    };
  }
  return current === wanted ? { use: 'this' } : { use: 'install', version: wanted };
}

/** Installs a Node version from npm's registry (the `node` package; once, offline afterwards); returns the binary. */
export function installNode(version = nodeVersion, env = process.env) {
  const dir = nodeCacheDir(env, version);
  const bin = binIn(dir);
  if (existsSync(bin)) return bin;
  console.log(
    `Node ${process.versions.node} is not the Node ${version} this runs on: installing it from npm's registry into ${dir} (once; FABLINE_NODE=system keeps a Node ≥ ${oldestSupportedMajor} instead)`,
  );
  mkdirSync(dirname(dir), { recursive: true });
  // into a fresh folder renamed at the end: an interrupted or concurrent install never leaves half a Node
  const staging = mkdtempSync(`${dir}.partial-`);
  const npm = spawnSync(
    'npm',
    ['install', '--prefix', staging, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', `node@${version}`],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...env, CI: 'true' },
    },
  );
  const probe = npm.status === 0 ? spawnSync(binIn(staging), ['--version'], { encoding: 'utf8' }) : undefined;
  if (probe?.stdout.trim() !== `v${version}`) {
    rmSync(staging, { recursive: true, force: true });
    const error = new Error(
      `could not install Node ${version} (npm install node@${version} exited ${npm.status ?? npm.signal}); install Node ${version} yourself (e.g. nvm install ${version}), or run with FABLINE_NODE=system on Node ≥ ${oldestSupportedMajor}`,
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
    bin = installNode(choice.version);
  } catch (error) {
    console.error(error.message);
    process.exit(error.exitCode ?? 1);
  }
  // FABLINE_NODE stays set: the re-run (and every script it starts) finds itself on the version asked for
  const env = { ...process.env, PATH: [dirname(bin), process.env.PATH].filter(Boolean).join(delimiter) };
  const child = spawn(bin, [...process.execArgv, ...process.argv.slice(1)], { stdio: 'inherit', env });
  // Ctrl-C reaches the whole foreground process group, the child included: passing SIGINT on would
  // deliver it twice; a SIGTERM or SIGHUP sent to this process alone is passed on
  process.on('SIGINT', () => {});
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1)));
  return new Promise(() => {});
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };
