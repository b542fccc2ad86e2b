// Plain Node, no dependencies: runs on a fresh clone before anything is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../..', import.meta.url));
const PNPM_VERSION = '10.34.9';

/** The pnpm command: a pnpm on PATH, else the pinned one through npx (corepack cannot fetch it offline). */
export function pnpmCommand() {
  const probe = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (probe.status === 0 && probe.stdout.trim().startsWith('10.')) return ['pnpm'];
  return ['npx', '--yes', `pnpm@${PNPM_VERSION}`];
}

export function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    const error = new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    error.exitCode = result.status ?? 1;
    throw error;
  }
}

export function pnpm(args, options) {
  const [command, ...prefix] = pnpmCommand();
  run(command, [...prefix, ...args], options);
}

/** Installs the workspace when node_modules is missing or older than the lockfile. */
export function install() {
  const marker = `${root}/node_modules/.modules.yaml`;
  const fresh = existsSync(marker) && statSync(marker).mtimeMs >= statSync(`${root}/pnpm-lock.yaml`).mtimeMs;
  if (fresh) return;
  console.log('Installing dependencies (pnpm install --frozen-lockfile)…');
  pnpm(['install', '--frozen-lockfile', '--reporter=append-only']);
}
