import { type ChildProcess, type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';

/** One process to run: never through a shell, always with an explicit environment. */
export interface CommandSpec {
  readonly command: string;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly cwd?: string;
  /** Caller cancellation (shutdown). */
  readonly signal?: AbortSignal;
  /** Kill the process group after this long. */
  readonly timeoutMs?: number;
  readonly input?: string | Buffer;
  /** Stop reading (and kill) past this many stdout bytes; protects memory on huge outputs. */
  readonly maxStdoutBytes?: number;
}

export interface CommandResult {
  /** Exit code, or null when the process died of a signal. */
  readonly exitCode: number | null;
  readonly stdout: Buffer;
  /** Captured stderr (at most the last 64 KiB). Not redacted: callers must pass it through `redact()`. */
  readonly stderr: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly outputTooLarge: boolean;
  /** Set when the program could not be started (ENOENT, EACCES). */
  readonly spawnError?: string;
  readonly durationMs: number;
}

/** The port the git layer runs processes through; tests may pass a recording wrapper. */
export type CommandRunner = (spec: CommandSpec) => Promise<CommandResult>;

const STDERR_KEEP_BYTES = 64 * 1024;
const DEFAULT_MAX_STDOUT = 256 * 1024 * 1024;
const KILL_GRACE_MS = 2_000;

type StopCause = 'timeout' | 'abort' | 'output';

/** Ends a child's whole process group: SIGTERM, then SIGKILL after a grace period. */
class GroupStopper {
  readonly causes = new Set<StopCause>();
  readonly #child: ChildProcess;
  #killTimer: NodeJS.Timeout | undefined;

  constructor(child: ChildProcess) {
    this.#child = child;
  }

  stop(cause: StopCause): void {
    this.causes.add(cause);
    this.#signal('SIGTERM');
    this.#killTimer ??= setTimeout(() => this.#signal('SIGKILL'), KILL_GRACE_MS);
    this.#killTimer.unref();
  }

  dispose(): void {
    if (this.#killTimer !== undefined) clearTimeout(this.#killTimer);
  }

  #signal(sig: NodeJS.Signals): void {
    if (this.#child.pid === undefined) return;
    try {
      process.kill(-this.#child.pid, sig);
    } catch {
      // already gone
    }
  }
}

/** Collects stdout up to a limit (then asks to stop) and the tail of stderr. */
class OutputCollector {
  readonly #stdout: Buffer[] = [];
  #stdoutBytes = 0;
  #stderr = '';

  constructor(child: ChildProcessWithoutNullStreams, maxStdout: number, onOverflow: () => void) {
    child.stdout.on('data', (chunk: Buffer) => {
      this.#stdoutBytes += chunk.length;
      if (this.#stdoutBytes > maxStdout) onOverflow();
      else this.#stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      this.#stderr += chunk;
      if (this.#stderr.length > STDERR_KEEP_BYTES * 2) this.#stderr = this.#stderr.slice(-STDERR_KEEP_BYTES);
    });
  }

  get stdout(): Buffer {
    return Buffer.concat(this.#stdout);
  }

  get stderr(): string {
    return this.#stderr.length > STDERR_KEEP_BYTES ? this.#stderr.slice(-STDERR_KEEP_BYTES) : this.#stderr;
  }
}

/**
 * Spawns `spec.command` in its own process group (git starts ssh, remote helpers and upload-pack; a
 * timeout must end all of them), collects stdout/stderr, and never rejects: failures are in the result.
 */
export const runCommand: CommandRunner = (spec) =>
  new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(spec.command, [...spec.args], {
      cwd: spec.cwd,
      env: { ...spec.env },
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
      windowsHide: true,
    });
    const stopper = new GroupStopper(child);
    const output = new OutputCollector(child, spec.maxStdoutBytes ?? DEFAULT_MAX_STDOUT, () =>
      stopper.stop('output'),
    );
    let spawnError: string | undefined;
    const timer =
      spec.timeoutMs === undefined ? undefined : setTimeout(() => stopper.stop('timeout'), spec.timeoutMs);
    const onAbort = (): void => stopper.stop('abort');
    if (spec.signal?.aborted === true) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdin.on('error', () => {
      // the child may exit before reading its input (EPIPE); the exit code tells the story
    });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      stopper.dispose();
      spec.signal?.removeEventListener('abort', onAbort);
      const result: CommandResult = {
        exitCode: code,
        stdout: output.stdout,
        stderr: output.stderr,
        timedOut: stopper.causes.has('timeout'),
        aborted: stopper.causes.has('abort'),
        outputTooLarge: stopper.causes.has('output'),
        durationMs: Math.round(performance.now() - started),
      };
      resolve(spawnError === undefined ? result : { ...result, spawnError });
    });
    child.stdin.end(spec.input);
  });
