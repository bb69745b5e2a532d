/**
 * What a CLI command may touch. `src/bin/cli.ts` builds the real one from `process`; tests build one over
 * in-memory streams. Commands never read `process.*` themselves.
 */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { readonly isTTY?: boolean };
  readonly stderr: NodeJS.WritableStream;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  readonly signal: AbortSignal;
}

/** One exit-code table for every command (STYLE 5.4). */
export const ExitCode = {
  ok: 0,
  failed: 1,
  invalidInput: 2,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
