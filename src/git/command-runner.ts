import { spawn } from 'node:child_process';

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
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let timedOut = false;
    let aborted = false;
    let outputTooLarge = false;
    let spawnError: string | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    const maxStdout = spec.maxStdoutBytes ?? DEFAULT_MAX_STDOUT;

    const killGroup = (sig: NodeJS.Signals): void => {
      if (child.pid === undefined) return;
      try {
        process.kill(-child.pid, sig);
      } catch {
        // already gone
      }
    };
    const terminate = (): void => {
      killGroup('SIGTERM');
      killTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
      killTimer.unref();
    };
    const timer =
      spec.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            terminate();
          }, spec.timeoutMs);
    const onAbort = (): void => {
      aborted = true;
      terminate();
    };
    if (spec.signal?.aborted === true) onAbort();
    else spec.signal?.addEventListener('abort', onAbort, { once: true });

    child.stdout.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > maxStdout) {
        if (!outputTooLarge) {
          outputTooLarge = true;
          terminate();
        }
        return;
      }
      stdout.push(chunk);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      stderr += chunk;
      if (stderr.length > STDERR_KEEP_BYTES * 2) stderr = stderr.slice(-STDERR_KEEP_BYTES);
    });
    child.stdin.on('error', () => {
      // the child may exit before reading its input (EPIPE); the exit code tells the story
    });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code) => {
      if (timer !== undefined) clearTimeout(timer);
      if (killTimer !== undefined) clearTimeout(killTimer);
      spec.signal?.removeEventListener('abort', onAbort);
      const result: CommandResult = {
        exitCode: code,
        stdout: Buffer.concat(stdout),
        stderr: stderr.length > STDERR_KEEP_BYTES ? stderr.slice(-STDERR_KEEP_BYTES) : stderr,
        timedOut,
        aborted,
        outputTooLarge,
        durationMs: Math.round(performance.now() - started),
      };
      resolve(spawnError === undefined ? result : { ...result, spawnError });
    });
    if (spec.input === undefined) child.stdin.end();
    else child.stdin.end(spec.input);
  });
