/** Shapes of bench/results/latest.json. */

export type EngineScenario =
  | 'cold'
  | 'incremental-one-file'
  | 'incremental-1pct'
  | 'no-op'
  | 'no-op-verify'
  | 'delete-heavy'
  | 'project-rename';

/**
 * Timed runs per scenario: `heavy` for cold, verify, rename and delete-heavy; `light` for the rest;
 * `cycleCold` for the whole-cycle cold sync (a full fetch + checkout + apply per run), `cycle` for the
 * other whole-cycle scenarios.
 */
export interface RunPlan {
  readonly light: number;
  readonly heavy: number;
  readonly cycleCold: number;
  /** Runs of the other whole-cycle scenarios (incremental one-file, no-op). */
  readonly cycle: number;
  /** Time a cold `rsync -a --delete` too (the cold target compares with `cp -a`). */
  readonly coldRsync: boolean;
}

export type BaselineName =
  | 'cp -a'
  | 'rsync -a --delete'
  | 'rsync -a --delete --checksum'
  | 'git fetch + checkout + rsync';

export interface Sample {
  readonly median_ms: number;
  readonly samples_ms: readonly number[];
}

export interface ScenarioResult {
  readonly scenario: EngineScenario;
  /** engine: checkout present, diff given. cycle: resolve + fetch + diff + apply through the git client. */
  readonly mode: 'engine' | 'cycle';
  /** Files in the base tree (size class). */
  readonly size: number;
  readonly runs: number;
  /** Engine/cycle median; null when the engine was not available. */
  readonly median_ms: number | null;
  readonly samples_ms: readonly number[];
  /** Peak RSS of the worker process that ran the scenario's steps. */
  readonly rss_mb: number | null;
  /** What the last timed run changed in the data dir (sanity check of the scenario). */
  readonly files: {
    readonly strategy: string;
    readonly added: number;
    readonly modified: number;
    readonly deleted: number;
  } | null;
  readonly baselines: Partial<Record<BaselineName, Sample>>;
  /** median_ms / baseline median. */
  readonly ratios: Partial<Record<BaselineName, number>>;
  /** Whole cycle only: median git share (resolve + fetch + diff) of the engine time. */
  readonly git_ms?: number;
  /** Whole cycle only: HTTP requests the git server saw per engine cycle (median). */
  readonly git_requests?: number;
  readonly note?: string;
}

export interface FanoutResult {
  readonly gateways: number;
  readonly size: number;
  readonly rollouts: number;
  /** Webhook accepted (202) → every gateway synced and scanned, per rollout. */
  readonly p50_ms: number;
  readonly p95_ms: number;
  readonly max_ms: number;
  readonly samples_ms: readonly number[];
  readonly git_requests_per_rollout: number;
  readonly runner_rss_mb: number | null;
  /** CPU per rollout: the runner process, and this process (the simulators' scans and snapshots). */
  readonly runner_cpu_ms_per_rollout: number;
  readonly simulators_cpu_ms_per_rollout: number;
  readonly note?: string;
}

export interface BenchResults {
  readonly generated_at: string;
  readonly machine: {
    readonly cpus: number;
    readonly node: string;
    readonly git: string;
    readonly rsync: string;
  };
  readonly options: { readonly quick: boolean; readonly drop_caches: boolean; readonly seed: number };
  /** What was measured: the commit of the code under test (and whether src/ had uncommitted changes). */
  readonly source: string;
  readonly repos: readonly {
    size: number;
    files: Record<string, number>;
    pack_bytes: number;
    generated_ms: number;
  }[];
  readonly scenarios: readonly ScenarioResult[];
  readonly fanout: readonly FanoutResult[];
  readonly duration_ms: number;
  readonly skipped: readonly string[];
}
