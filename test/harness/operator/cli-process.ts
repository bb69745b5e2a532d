import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { waitFor } from '../wait-for.ts';

const CLI = fileURLToPath(new URL('../../../src/bin/cli.ts', import.meta.url));

/** One JSON log line of a child `ignition-sync` process (pino fields). */
export type LogLine = Record<string, unknown> & { readonly msg?: string };

/** A running `ignition-sync <command>` child process and the JSON log lines it wrote so far. */
export interface CliProcess {
  readonly name: string;
  readonly child: ChildProcess;
  readonly logs: LogLine[];
  /** Resolves with the exit code, or the signal that ended it. */
  readonly exited: Promise<number | NodeJS.Signals | null>;
  /** The first log line matching `match` (already written or coming), within `timeoutMs`. */
  waitForLog(what: string, match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  /** The last lines of output that were not JSON (stack traces, warnings), for failure messages. */
  rawTail(): string;
  /**
   * SIGTERM (or `signal`), then waits for the exit; after `graceMs` (default 15 s) SIGKILL, and the promise
   * rejects so a process that ignores SIGTERM fails the test instead of hanging it.
   */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Starts `node src/bin/cli.ts <args>` with exactly `env` (plus PATH and HOME), logging JSON at debug. */
export function spawnCli(
  name: string,
  args: readonly string[],
  env: Readonly<Record<string, string>>,
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: LogLine[] = [];
  let raw = '';
  for (const stream of [child.stdout, child.stderr]) {
    if (stream === null) continue;
    createInterface(stream).on('line', (line) => {
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === 'object' && parsed !== null) {
          logs.push(parsed as LogLine);
          return;
        }
      } catch {
        // not a log line
      }
      raw = `${raw}${line}\n`.slice(-4000);
    });
  }
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal);
    }),
  );
  return {
    name,
    child,
    logs,
    exited,
    rawTail: () => raw,
    waitForLog: (what, match, timeoutMs = 30_000) =>
      waitFor(`${name}: ${what} (output: ${raw.slice(-800)})`, () => logs.find(match), {
        timeoutMs,
        intervalMs: 25,
      }),
    stop: async (signal = 'SIGTERM', graceMs = 15_000) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill(signal);
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), graceMs);
      });
      const outcome = await Promise.race([exited, late]);
      clearTimeout(timer);
      if (outcome === 'late') {
        child.kill('SIGKILL');
        await exited;
        throw new Error(
          `${name} did not exit within ${graceMs} ms of ${signal} (output: ${raw.slice(-800)})`,
        );
      }
    },
  };
}
