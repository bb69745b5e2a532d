import type { Logger } from '../observability/index.ts';
import type { GitReason } from '../reasons/index.ts';
import { gitFailure } from './classify-failure.ts';
import type { CommandResult, CommandRunner } from './command-runner.ts';
import type { GitHome } from './git-home.ts';
import { redact } from './redact.ts';

/** One git invocation. */
export interface GitRun {
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  readonly secrets?: readonly string[];
  readonly signal?: AbortSignal | undefined;
  /** Human description for errors, e.g. `fetch ssh://git@host/repo.git`; redacted before use. */
  readonly what: string;
  /** Reason when stderr matches no known pattern. */
  readonly fallback: GitReason;
  readonly maxStdoutBytes?: number;
  readonly input?: string;
}

export interface GitProcessOptions {
  readonly home: GitHome;
  readonly runner: CommandRunner;
  readonly logger: Logger;
  readonly gitBinary: string;
  readonly timeoutMs: number;
}

/** Runs git with the controlled environment, logs (redacted) and turns failures into typed errors. */
export class GitProcess {
  readonly #o: GitProcessOptions;

  constructor(options: GitProcessOptions) {
    this.#o = options;
  }

  get timeoutMs(): number {
    return this.#o.timeoutMs;
  }

  /** Runs and returns the result whatever the exit code (spawn problems and timeouts still throw). */
  async attempt(run: GitRun): Promise<CommandResult> {
    const home = await this.#o.home.get();
    const secrets = run.secrets ?? [];
    const result = await this.#o.runner({
      command: this.#o.gitBinary,
      args: run.args,
      env: { ...home.env, ...run.env },
      cwd: run.cwd ?? home.home,
      timeoutMs: this.#o.timeoutMs,
      ...(run.signal === undefined ? {} : { signal: run.signal }),
      ...(run.maxStdoutBytes === undefined ? {} : { maxStdoutBytes: run.maxStdoutBytes }),
      ...(run.input === undefined ? {} : { input: run.input }),
    });
    this.#o.logger.debug(
      {
        args: run.args.map((a) => redact(a, secrets)),
        exitCode: result.exitCode,
        durationMs: result.durationMs,
      },
      'git command finished',
    );
    if (result.timedOut || result.aborted || result.spawnError !== undefined || result.outputTooLarge) {
      throw this.failure(run, result);
    }
    return result;
  }

  /** Runs and throws a typed, redacted OperatorError unless git exits 0. */
  async run(run: GitRun): Promise<CommandResult> {
    const result = await this.attempt(run);
    if (result.exitCode !== 0) throw this.failure(run, result);
    return result;
  }

  failure(run: Pick<GitRun, 'what' | 'fallback' | 'secrets'>, result: CommandResult) {
    return gitFailure({
      what: run.what,
      result,
      secrets: run.secrets ?? [],
      fallback: run.fallback,
      timeoutMs: this.#o.timeoutMs,
    });
  }
}
