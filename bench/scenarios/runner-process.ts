import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** USER_HZ; 100 on Linux for every common architecture. */
const CLOCK_TICKS_PER_SECOND = 100;
const CLI = fileURLToPath(new URL('../../src/bin/cli.ts', import.meta.url));

/**
 * The real standalone runner, `ignition-sync run`, as a child process (its own event loop and memory,
 * like a production install). Resolves once its webhook receiver is listening.
 */
export class RunnerProcess {
  readonly #child: ChildProcess;
  readonly port: number;
  readonly #exited: Promise<number | null>;
  readonly #stderrTail: string[];

  private constructor(child: ChildProcess, port: number, exited: Promise<number | null>, tail: string[]) {
    this.#child = child;
    this.port = port;
    this.#exited = exited;
    this.#stderrTail = tail;
  }

  /** Starts `ignition-sync run <args>`; its JSON log goes to `logFile` (kept for analysis). */
  static async start(args: readonly string[], logFile: string): Promise<RunnerProcess> {
    const child = spawn(
      process.execPath,
      [CLI, 'run', ...args, '--listen', '127.0.0.1:0', '--log-level', 'info'],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const tail: string[] = [];
    const logStream = createWriteStream(logFile);
    child.stderr?.pipe(logStream);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const port = await new Promise<number>((resolve, reject) => {
      let buffer = '';
      child.stderr?.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          tail.push(line);
          if (tail.length > 50) tail.shift();
          const m = /"port":(\d+).*webhook receiver listening|webhook receiver listening.*"port":(\d+)/.exec(
            line,
          );
          if (m !== null) resolve(Number(m[1] ?? m[2]));
        }
      });
      exited.then(
        (code) => reject(new Error(`runner exited (${code}) before listening:\n${tail.join('\n')}`)),
        reject,
      );
    });
    return new RunnerProcess(child, port, exited, tail);
  }

  /** Peak resident set (VmHWM) of the runner so far, in MB. */
  async peakRssMb(): Promise<number | null> {
    try {
      const status = await readFile(`/proc/${this.#child.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb === undefined ? null : Number(kb) / 1024;
    } catch {
      return null;
    }
  }

  /** CPU time (user + system) the runner has used so far, in ms (from /proc/<pid>/stat). */
  async cpuMs(): Promise<number> {
    const stat = await readFile(`/proc/${this.#child.pid}/stat`, 'utf8');
    // Fields after the ")" that closes the command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
  }

  recentLog(): string {
    return this.#stderrTail.join('\n');
  }

  /** SIGTERM (clean stop) and wait for exit. */
  async stop(): Promise<void> {
    this.#child.kill('SIGTERM');
    await this.#exited;
  }
}
