/** Messages between the bench runner and an engine worker process (IPC over `child_process.fork`). */

export interface ChangeEntry {
  readonly status: 'A' | 'M' | 'D' | 'R' | 'T';
  readonly path: string;
  readonly oldPath?: string;
}

/** Engine alone: the checkout is present, the diff is given. */
export interface SyncStep {
  readonly kind: 'sync';
  readonly dataDir: string;
  readonly sourceDir: string;
  readonly commit: string;
  /** null = no diff (cold or full sync). */
  readonly changes: readonly ChangeEntry[] | null;
  /** The commit `changes` start from (the applied commit). */
  readonly changesFrom: string | null;
  /** Full hash comparison with drift report instead of trusting the manifest. */
  readonly verify: boolean;
  /** Sanity check before timing: the commit the data dir must be at (null = empty data dir). */
  readonly expectApplied: string | null;
}

/** Whole cycle: resolve the ref, fetch the commit, diff against the applied commit, apply. */
export interface CycleStep {
  readonly kind: 'cycle';
  readonly dataDir: string;
  readonly repoUrl: string;
  readonly ref: string;
  /** The git client's reusable checkout directory. */
  readonly fetchDir: string;
  readonly expectApplied: string | null;
}

export type WorkerRequest =
  | { readonly type: 'run'; readonly step: SyncStep | CycleStep }
  | { readonly type: 'exit' };

export interface StepResult {
  /** Duration of the measured call only (no process start, no module loading). */
  readonly ms: number;
  readonly commit: string;
  /** The engine's plan strategy (noop, incremental, full): proves which path was measured. */
  readonly strategy: string;
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
  /** Whole cycle only: fetch + diff share of `ms`. */
  readonly gitMs?: number;
}

export type WorkerReply =
  | { readonly type: 'ready' }
  | { readonly type: 'done'; readonly result: StepResult }
  | { readonly type: 'failed'; readonly message: string }
  | { readonly type: 'exiting'; readonly maxRssKb: number };
