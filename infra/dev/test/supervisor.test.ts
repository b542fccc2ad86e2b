import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../src/client.ts';
import { type Supervisor, supervise } from '../src/supervisor.ts';

// npm start keeps the platform up: a process that dies is started again, loudly, and only Ctrl-C,
// SIGTERM or a process that keeps crashing stops everything.
const crashy = new URL('./fixtures/crashy.mjs', import.meta.url).pathname;
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('supervise', () => {
  let dir: string;
  let supervisor: Supervisor | undefined;
  const start = (name: string, crashes: number): ChildProcess => spawn(process.execPath, [crashy, `${dir}/${name}.runs`, String(crashes)], { stdio: 'ignore' });
  const runs = (name: string) => Number(readFileSync(`${dir}/${name}.runs`, 'utf8'));
  afterEach(async () => {
    await supervisor?.stop();
    supervisor = undefined;
  });

  it('restarts a process that died, with one line naming it, its exit code and the restart count', async () => {
    dir = mkdtempSync(`${tmpdir()}/supervisor-`);
    const lines: string[] = [];
    const crashes = { crashy: 2, steady: 0 };
    supervisor = supervise({
      processes: new Map(Object.entries(crashes).map(([name, n]) => [name, start(name, n)])),
      restart: async (name) => start(name, crashes[name as keyof typeof crashes]),
      log: (line) => lines.push(line),
      backoffMs: () => 10,
      handleSignals: false,
    });
    await eventually(async () => (runs('crashy') === 3 && supervisor?.children.get('crashy')?.pid ? true : undefined));
    expect(supervisor.restarts.get('crashy')).toBe(2);
    expect(supervisor.restarts.get('steady')).toBeUndefined();
    expect(lines).toEqual([
      expect.stringMatching(/crashy exited \(code 3\); restarting it \(restart 1\)/),
      expect.stringMatching(/crashy exited \(code 3\); restarting it \(restart 2\)/),
    ]);
    const live = [...supervisor.children.values()];
    expect(live.every((child) => child.exitCode === null)).toBe(true);
    await supervisor.stop();
    for (const child of live) expect(alive(child.pid as number)).toBe(false);
  });

  it('stops everything when one process crashes 5 times within the window', async () => {
    dir = mkdtempSync(`${tmpdir()}/supervisor-`);
    const lines: string[] = [];
    const steady = start('steady', 0);
    supervisor = supervise({
      processes: new Map([
        ['crashy', start('crashy', 1000)],
        ['steady', steady],
      ]),
      restart: async (name) => start(name, name === 'crashy' ? 1000 : 0),
      log: (line) => lines.push(line),
      backoffMs: () => 10,
      handleSignals: false,
    });
    expect(await supervisor.stopped).toEqual({ kind: 'crashes', name: 'crashy', crashes: 5 });
    expect(runs('crashy')).toBe(5);
    expect(steady.exitCode !== null || steady.signalCode !== null).toBe(true);
    expect(lines.at(-1)).toMatch(/crashy crashed 5 times within 60 s; stopping everything/);
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('stops every child on %s', async (signal) => {
    dir = mkdtempSync(`${tmpdir()}/supervisor-`);
    const runner = spawn(process.execPath, ['--import', 'tsx', new URL('./fixtures/supervised.ts', import.meta.url).pathname, dir], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [first] = (await once(runner.stdout, 'data')) as [Buffer];
    const pids = JSON.parse(first.toString()) as number[];
    expect(pids.every(alive)).toBe(true);
    runner.kill(signal);
    const [code] = await once(runner, 'exit');
    expect(code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
  });
});
