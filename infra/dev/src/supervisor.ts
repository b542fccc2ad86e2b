import type { ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export interface SupervisorOptions {
  /** The processes to watch, by name (e.g. a stack's `processes`). */
  processes: Iterable<[string, ChildProcess]>;
  /** Starts the named process again; resolves with the new child once it runs (e.g. `stack.restart`). */
  restart: (name: string) => Promise<ChildProcess>;
  /** Where the loud lines go. @default stderr */
  log?: (line: string) => void;
  /** This many crashes of one process within `windowMs` stop everything. @default 5 */
  maxCrashes?: number;
  /** @default 60000 */
  windowMs?: number;
  /** Wait before the n-th restart of a process (n from 1). @default 1 s, doubling, at most 30 s */
  backoffMs?: (restart: number) => number;
  /** Stop everything on SIGINT (Ctrl-C) and SIGTERM. @default true */
  handleSignals?: boolean;
  /** Runs once every child has been stopped: after a signal, or when a process kept crashing. */
  onStop?: (reason: StopReason) => void | Promise<void>;
}

export type StopReason = { kind: 'signal'; signal: NodeJS.Signals } | { kind: 'crashes'; name: string; crashes: number } | { kind: 'stop' };

export interface Supervisor {
  /** Restarts so far, by process name. */
  restarts: Map<string, number>;
  /** The process running under each name now. */
  children: Map<string, ChildProcess>;
  /** Stops every child (SIGTERM, SIGKILL after 5 s) and restarts nothing more. */
  stop(reason?: StopReason): Promise<void>;
  /** Resolves once everything has stopped, with why. */
  stopped: Promise<StopReason>;
}

const running = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;

function terminate(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (!running(child)) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * Keeps a set of processes running, the way `npm start` needs it: a process that dies is started
 * again after a growing pause, with one loud line naming it, its exit code and its restart count;
 * everything stops on Ctrl-C/SIGTERM, or when one process crashes `maxCrashes` times within `windowMs`.
 */
export function supervise(options: SupervisorOptions): Supervisor {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const maxCrashes = options.maxCrashes ?? 5;
  const windowMs = options.windowMs ?? 60_000;
  const backoffMs = options.backoffMs ?? ((n: number) => Math.min(1000 * 2 ** (n - 1), 30_000));
  const children = new Map<string, ChildProcess>();
  const restarts = new Map<string, number>();
  const crashTimes = new Map<string, number[]>();
  let stopping: Promise<void> | undefined;
  let finish: (reason: StopReason) => void = () => {};
  const stopped = new Promise<StopReason>((resolve) => {
    finish = resolve;
  });

  const onSignal = (signal: NodeJS.Signals) => void stop({ kind: 'signal', signal });
  const signals = ['SIGINT', 'SIGTERM'] as const;
  if (options.handleSignals ?? true) for (const signal of signals) process.on(signal, onSignal);

  function stop(reason: StopReason = { kind: 'stop' }): Promise<void> {
    stopping ??= (async () => {
      for (const signal of signals) process.off(signal, onSignal);
      await Promise.all([...children.values()].map(terminate));
      await options.onStop?.(reason);
      finish(reason);
    })();
    return stopping;
  }

  /** Counts a crash; true when the process crashed too often and everything is stopping. */
  const tooMany = (name: string) => {
    const now = Date.now();
    const recent = [...(crashTimes.get(name) ?? []).filter((at) => now - at < windowMs), now];
    crashTimes.set(name, recent);
    if (recent.length < maxCrashes) return false;
    log(`✖ ${name} crashed ${recent.length} times within ${windowMs / 1000} s; stopping everything`);
    void stop({ kind: 'crashes', name, crashes: recent.length });
    return true;
  };

  const restartLoop = async (name: string) => {
    while (!stopping) {
      const count = (restarts.get(name) ?? 0) + 1;
      const delay = backoffMs(count);
      await sleep(delay);
      if (stopping) return;
      restarts.set(name, count);
      try {
        watch(name, await options.restart(name));
        return;
      } catch (error) {
        log(`✖ ${name} failed to start again (restart ${count}): ${(error as Error).message}`);
        if (tooMany(name)) return;
      }
    }
  };

  function watch(name: string, child: ChildProcess) {
    children.set(name, child);
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      if (stopping || children.get(name) !== child) return;
      if (tooMany(name)) return;
      const next = (restarts.get(name) ?? 0) + 1;
      log(`✖ ${name} exited (${signal ? `signal ${signal}` : `code ${code}`}); restarting it (restart ${next}) in ${backoffMs(next) / 1000} s`);
      void restartLoop(name);
    };
    if (running(child)) child.once('exit', onExit);
    else onExit(child.exitCode, child.signalCode);
  }

  for (const [name, child] of options.processes) watch(name, child);
  return { restarts, children, stop, stopped };
}
