import { dirname, join } from 'node:path';
import { type GitHttpServer, startGitHttpServer } from '../../test/harness/git-servers/index.ts';
import { EngineWorker } from '../engine/engine-worker-client.ts';
import type { StepResult } from '../engine/worker-protocol.ts';
import type { BenchRepo } from '../generator/ensure-bench-repo.ts';
import type { CommitName } from '../generator/plan-change-series.ts';
import { median, round } from '../measure/stats.ts';
import { buildScenarioResult } from './build-scenario-result.ts';
import { timeGitRsync } from './git-rsync-baseline.ts';
import type { EngineScenario, RunPlan, ScenarioResult } from './results.ts';
import { resetDir, runRotated, type TimedOp } from './run-rotated.ts';

export interface CycleSuiteOptions {
  readonly repo: BenchRepo;
  readonly runs: RunPlan;
  readonly workDir: string;
  readonly dropCaches: boolean;
  readonly log: (line: string) => void;
}

interface CycleDef {
  readonly scenario: EngineScenario;
  readonly from: CommitName | null;
  readonly to: CommitName;
  readonly alternate: boolean;
}

const CYCLES: readonly CycleDef[] = [
  { scenario: 'cold', from: null, to: 'base', alternate: false },
  { scenario: 'incremental-one-file', from: 'base', to: 'one-file', alternate: true },
  { scenario: 'no-op', from: 'one-file', to: 'one-file', alternate: false },
];

const BASELINE = 'git fetch + checkout + rsync';

/**
 * Whole cycle through the real git client against a local smart-HTTP server (git http-backend): resolve
 * the tag, fetch the commit into the reusable checkout, diff from the applied commit, apply. Baseline:
 * the same steps with plain git + rsync. Also counts the HTTP requests the server saw per engine cycle.
 */
export async function runCycleSuite(options: CycleSuiteOptions): Promise<ScenarioResult[]> {
  const server = await startGitHttpServer({ root: dirname(options.repo.gitDir) });
  const suite = new CycleSuite(options, server);
  try {
    await suite.reset();
    const results: ScenarioResult[] = [];
    for (const def of CYCLES) {
      // The cold cycle is a full clone + apply per run; large sizes may skip it (runs.cycleCold = 0).
      if (def.from === null && options.runs.cycleCold === 0) continue;
      results.push(await suite.run(def));
    }
    return results;
  } finally {
    await suite.close();
    await server.close();
  }
}

class CycleSuite {
  readonly #o: CycleSuiteOptions;
  readonly #server: GitHttpServer;
  readonly #url: string;
  readonly #dirs: { fetch: string; data: string; clone: string; dest: string };
  #engineAt: CommitName | null = null;
  #baselineAt: CommitName | null = null;
  #setup: EngineWorker | undefined;

  constructor(options: CycleSuiteOptions, server: GitHttpServer) {
    this.#o = options;
    this.#server = server;
    this.#url = server.url('origin');
    const base = join(options.workDir, 'run', String(options.repo.size), 'cycle');
    this.#dirs = {
      fetch: join(base, 'engine-checkout'),
      data: join(base, 'engine-data'),
      clone: join(base, 'git-clone'),
      dest: join(base, 'rsync-dest'),
    };
  }

  async run(def: CycleDef): Promise<ScenarioResult> {
    const worker = await EngineWorker.start();
    const samples: Record<string, number[]> = { engine: [], [BASELINE]: [] };
    const gitMs: number[] = [];
    const requests: number[] = [];
    let last: StepResult | undefined;
    const runs = def.from === null ? this.#o.runs.cycleCold : this.#o.runs.cycle;
    for (let i = 0; i < runs; i++) {
      const reverse = def.alternate && i % 2 === 1;
      const from = reverse ? def.to : def.from;
      const to = reverse ? (def.from ?? def.to) : def.to;
      await this.#prepare(from);
      const ops: TimedOp[] = [
        [
          'engine',
          async () => {
            const before = this.#server.stats.requests;
            last = await this.#cycle(worker, to);
            requests.push(this.#server.stats.requests - before);
            gitMs.push(last.gitMs ?? 0);
            return last.ms;
          },
        ],
        [
          BASELINE,
          async () => {
            const ms = await timeGitRsync({
              cloneDir: this.#dirs.clone,
              repoUrl: this.#url,
              ref: `bench/${to}`,
              dest: this.#dirs.dest,
            });
            this.#baselineAt = to;
            return ms;
          },
        ],
      ];
      await runRotated(ops, i, samples, this.#o.dropCaches);
    }
    const rssKb = await worker.stop();
    const result = buildScenarioResult({
      scenario: def.scenario,
      mode: 'cycle',
      size: this.#o.repo.size,
      runs,
      samples,
      last,
      rssKb,
      extra: { git_ms: round(median(gitMs)), git_requests: median(requests) },
    });
    this.#o.log(
      `cycle ${def.scenario} @${this.#o.repo.size}: ${JSON.stringify({ ms: result.median_ms, ratios: result.ratios, git_requests: result.git_requests })}`,
    );
    return result;
  }

  async close(): Promise<void> {
    if (this.#setup !== undefined) await this.#setup.stop();
  }

  /** Starts from empty directories (a previous run's state must not leak in). */
  async reset(): Promise<void> {
    await this.#prepare(null);
  }

  async #cycle(worker: EngineWorker, to: CommitName): Promise<StepResult> {
    const result = await worker.run({
      kind: 'cycle',
      dataDir: this.#dirs.data,
      repoUrl: this.#url,
      ref: `bench/${to}`,
      fetchDir: this.#dirs.fetch,
      expectApplied: this.#engineAt === null ? null : this.#o.repo.commits[this.#engineAt],
    });
    this.#engineAt = to;
    return result;
  }

  /** Untimed: puts engine and baseline at `from` (null: empty data dir and no checkout). */
  async #prepare(from: CommitName | null): Promise<void> {
    if (from === null) {
      for (const dir of Object.values(this.#dirs)) await resetDir(dir);
      this.#engineAt = null;
      this.#baselineAt = null;
      return;
    }
    if (this.#engineAt !== from) {
      this.#setup ??= await EngineWorker.start();
      await this.#cycle(this.#setup, from);
    }
    if (this.#baselineAt !== from) {
      await timeGitRsync({
        cloneDir: this.#dirs.clone,
        repoUrl: this.#url,
        ref: `bench/${from}`,
        dest: this.#dirs.dest,
      });
      this.#baselineAt = from;
    }
  }
}
