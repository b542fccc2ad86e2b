import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: plain JavaScript without declarations
import { chooseNode, nodeCacheDir, nodeVersion, oldestSupportedMajor } from '../../../scripts/lib/node.mjs';
// the plain-Node scripts behind npm start / npm test / npm run …
// @ts-expect-error: plain JavaScript without declarations
import { dryRun, writersBesideReaders } from '../../../scripts/lib/taskGraph.mjs';
// @ts-expect-error: plain JavaScript without declarations
import { summarize } from '../../../scripts/lib/vitestSummary.mjs';

const root = new URL('../../../', import.meta.url).pathname;
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8'));

describe('npm test summary line', () => {
  it('counts a suite that failed before its tests ran (beforeAll threw) as failed, and names it', () => {
    const summary = summarize(fixture('vitest-report-failed-suite.json'));
    expect(summary.text.split('\n')[0]).toBe('tests: 1 passed, 1 failed, 3 skipped');
    expect(summary.text).toContain('gateway/test/a.e2e.ts: setup broke');
    expect(summary.ok).toBe(false);
  });

  it('is green for a report without failures', () => {
    const report = fixture('vitest-report-failed-suite.json');
    report.testResults = report.testResults.filter((suite: { status: string }) => suite.status === 'passed');
    Object.assign(report, { numFailedTestSuites: 0, success: true, numPendingTests: 1 });
    expect(summarize(report)).toMatchObject({ ok: true, failed: 0, text: 'tests: 1 passed, 0 failed, 1 skipped' });
  });
});

describe('turbo task graphs', () => {
  it('typecheck runs no generator beside a task that reads its files', () => {
    const dry = dryRun('typecheck');
    expect(dry.tasks.map((task: { taskId: string }) => task.taskId)).toContain('@fabline/mes#typecheck');
    expect(writersBesideReaders(dry)).toEqual([]);
  }, 120_000);

  it('the check finds a generate beside a typecheck that does not wait for it, and accepts one that does', () => {
    const task = (taskId: string, dependencies: string[], command = 'tsc -p tsconfig.json') => ({ taskId, task: taskId.split('#')[1], command, dependencies });
    const generate = task('@fabline/mes#generate', [], 'prisma generate');
    const racing = {
      tasks: [
        generate,
        task('@fabline/mes#build', ['@fabline/mes#generate'], '<NONEXISTENT>'),
        task('@fabline/mes#typecheck', []),
        task('@fabline/dev#typecheck', ['@fabline/mes#build']),
      ],
    };
    expect(writersBesideReaders(racing)).toEqual([{ writer: '@fabline/mes#generate', reader: '@fabline/mes#typecheck' }]);
    const waiting = { tasks: [generate, task('@fabline/mes#typecheck', ['@fabline/mes#generate'])] };
    expect(writersBesideReaders(waiting)).toEqual([]);
  });
});

describe('root package.json scripts', () => {
  const scripts = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).scripts as Record<string, string>;

  it.each(Object.entries(scripts))('%s runs a plain-Node script of scripts/, nothing that needs pnpm (or an install) on PATH', (_name, command) => {
    const [, file] = command.match(/^node (scripts\/[\w./-]+\.mjs)(?: |$)/) ?? [];
    expect(file, command).toBeDefined();
    expect(existsSync(`${root}${file}`), file).toBe(true);
    // only Node's own modules and the other plain scripts: it runs before anything is installed
    const imports = [...readFileSync(`${root}${file}`, 'utf8').matchAll(/^import .* from '([^']+)';$/gm)].map((m) => m[1] as string);
    for (const specifier of imports) expect(specifier, `${file} imports ${specifier}`).toMatch(/^(node:|\.\/|\.\.\/)/);
  });

  it('no script of scripts/ starts pnpm itself (only the bootstrap, which falls back to npx)', () => {
    for (const file of [
      'test.mjs',
      'start.mjs',
      'generate.mjs',
      'check-generated.mjs',
      'prisma-generate.mjs',
      'pnpm.mjs',
      'check-task-graph.mjs',
      'lib/taskGraph.mjs',
    ]) {
      expect(readFileSync(`${root}scripts/${file}`, 'utf8'), file).not.toMatch(/spawn(Sync)?\(\s*['"]pnpm['"]/);
    }
  });

  it('the bootstrap uses the pinned pnpm through npx where no pnpm is on PATH', () => {
    const bin = mkdtempSync(`${tmpdir()}/no-pnpm-`);
    symlinkSync(process.execPath, `${bin}/node`);
    const probe = spawnSync(process.execPath, ['-e', "import('./scripts/lib/bootstrap.mjs').then((m) => console.log(JSON.stringify(m.pnpmCommand())))"], {
      cwd: root,
      env: { PATH: bin },
      encoding: 'utf8',
    });
    const pinned = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).packageManager as string;
    expect(JSON.parse(probe.stdout)).toEqual(['npx', '--yes', pinned]);
  });
});

describe('the Node every command runs on', () => {
  it('is the pinned Node of .nvmrc, installed and re-run where the node on PATH is older', () => {
    expect(nodeVersion).toBe(readFileSync(`${root}.nvmrc`, 'utf8').trim());
    expect(Number(nodeVersion.split('.')[0])).toBeGreaterThanOrEqual(24);
    expect(chooseNode({}, '20.20.2')).toEqual({ use: 'install', version: nodeVersion });
    expect(chooseNode({}, nodeVersion)).toEqual({ use: 'this' });
    expect(chooseNode({}, '25.1.0')).toEqual({ use: 'this' });
    expect(nodeCacheDir({ FABLINE_NODE_CACHE: '/cache' })).toBe(`/cache/node-v${nodeVersion}`);
  });

  it('FABLINE_NODE=system keeps a Node of the oldest supported major or later, and refuses an older one by name', () => {
    expect(chooseNode({ FABLINE_NODE: 'system' }, `${oldestSupportedMajor}.12.0`)).toEqual({ use: 'this' });
    expect(chooseNode({ FABLINE_NODE: 'system' }, '20.20.2').error).toMatch(/FABLINE_NODE=system needs Node 22 or later; this node is 20\.20\.2/);
  });

  it('FABLINE_NODE=<version> runs on exactly that version (what CI runs the unit tests on); other values are refused', () => {
    expect(chooseNode({ FABLINE_NODE: '22.23.3' }, '20.20.2')).toEqual({ use: 'install', version: '22.23.3' });
    expect(chooseNode({ FABLINE_NODE: '22.23.3' }, '22.23.3')).toEqual({ use: 'this' });
    expect(chooseNode({ FABLINE_NODE: '20.20.2' }, '24.0.0').error).toMatch(/a version ≥ 22\.0\.0/);
    expect(chooseNode({ FABLINE_NODE: 'latest' }, '24.0.0').error).toMatch(/allowed: system, pinned/);
  });

  it('package.json engines, CI and this process agree with it', () => {
    const engines = JSON.parse(readFileSync(`${root}package.json`, 'utf8')).engines.node as string;
    expect(engines).toMatch(new RegExp(`^>=${oldestSupportedMajor}\\.`));
    const ci = readFileSync(`${root}.ci/run`, 'utf8');
    expect(ci).toMatch(/^npm test$/m);
    expect(ci).toMatch(new RegExp(`^FABLINE_NODE=${oldestSupportedMajor}\\.\\d+\\.\\d+ node scripts/pnpm\\.mjs exec vitest run --project unit$`, 'm'));
    // the tests run through the entry scripts, so on the pinned Node unless FABLINE_NODE says otherwise
    if (!process.env.FABLINE_NODE) expect(chooseNode({}, process.versions.node)).toEqual({ use: 'this' });
  });
});
