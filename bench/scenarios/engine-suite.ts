import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { EngineWorker } from '../engine/engine-worker-client.ts';
import type { ChangeEntry, StepResult } from '../engine/worker-protocol.ts';
import type { BenchRepo } from '../generator/ensure-bench-repo.ts';
import type { CommitName } from '../generator/plan-change-series.ts';
import { timeCopy, timeRsync, timeRsyncChecksum } from './baselines.ts';
import { buildScenarioResult } from './build-scenario-result.ts';
import { diffCommits } from './commit-diff.ts';
import type { EngineScenario, RunPlan, ScenarioResult } from './results.ts';
import { resetDir, runRotated, type TimedOp } from './run-rotated.ts';

export interface EngineSuiteOptions {
  readonly repo: BenchRepo;
  readonly runs: RunPlan;
  readonly workDir: string;
  readonly dropCaches: boolean;
  readonly hasEngine: boolean;
  readonly log: (line: string) => void;
}

/** A scenario moves the data dir from `from` to `to`; alternating ones swap direction every run. */
interface ScenarioDef {
  readonly scenario: EngineScenario;
  readonly from: CommitName;
  readonly to: CommitName;
  readonly alternate: boolean;
  /** Full hash comparison (drift check) instead of trusting the manifest. */
  readonly verify?: boolean;
  readonly heavy?: boolean;
}

const INCREMENTAL: readonly ScenarioDef[] = [
  { scenario: 'incremental-one-file', from: 'base', to: 'one-file', alternate: true },
  { scenario: 'no-op', from: 'one-file', to: 'one-file', alternate: false },
  { scenario: 'no-op-verify', from: 'one-file', to: 'one-file', alternate: false, verify: true, heavy: true },
  { scenario: 'incremental-1pct', from: 'one-file', to: 'one-percent', alternate: true },
  { scenario: 'project-rename', from: 'one-percent', to: 'rename', alternate: true, heavy: true },
  { scenario: 'delete-heavy', from: 'rename', to: 'delete-heavy', alternate: false, heavy: true },
];

/**
 * Engine-alone scenarios with their baselines on the same trees, interleaved run by run (the order
 * rotates) so machine noise hits engine and baselines alike. Engine steps run in a worker process per
 * scenario (its peak RSS is the scenario's RSS); untimed state moves run in a separate setup worker.
 */
export async function runEngineSuite(options: EngineSuiteOptions): Promise<ScenarioResult[]> {
  const suite = new EngineSuite(options);
  try {
    const results = [await suite.runCold()];
    for (const def of INCREMENTAL) results.push(await suite.runIncremental(def));
    return results;
  } finally {
    await suite.close();
  }
}

class EngineSuite {
  readonly #o: EngineSuiteOptions;
  readonly #dirs: { engine: string; rsync: string; cp: string };
  readonly #diffs = new Map<string, ChangeEntry[]>();
  #engineAt: CommitName | null = null;
  #rsyncAt: CommitName | null = null;
  #setup: EngineWorker | undefined;

  constructor(options: EngineSuiteOptions) {
    this.#o = options;
    const base = join(options.workDir, 'run', String(options.repo.size));
    this.#dirs = {
      engine: join(base, 'engine-data'),
      rsync: join(base, 'rsync-dest'),
      cp: join(base, 'cp-dest'),
    };
  }

  async runCold(): Promise<ScenarioResult> {
    const worker = this.#o.hasEngine ? await EngineWorker.start() : undefined;
    const samples: Record<string, number[]> = { engine: [], 'cp -a': [], 'rsync -a --delete': [] };
    const withRsync = this.#o.runs.coldRsync;
    let last: StepResult | undefined;
    for (let i = 0; i < this.#o.runs.heavy; i++) {
      for (const dir of Object.values(this.#dirs)) await resetDir(dir);
      this.#engineAt = null;
      this.#rsyncAt = null;
      const ops: TimedOp[] = [['cp -a', () => timeCopy(this.#wt('base'), this.#dirs.cp)]];
      if (withRsync) ops.push(['rsync -a --delete', () => timeRsync(this.#wt('base'), this.#dirs.rsync)]);
      if (worker !== undefined) {
        ops.push([
          'engine',
          async () => {
            last = await this.#engineStep(worker, null, 'base');
            return last.ms;
          },
        ]);
      }
      await runRotated(ops, i, samples, this.#o.dropCaches);
      this.#rsyncAt = withRsync ? 'base' : null;
    }
    if (!withRsync) {
      // The cp -a copy (mtimes preserved) is exactly what a cold rsync would leave: reuse it, untimed.
      await rm(this.#dirs.rsync, { recursive: true, force: true });
      await rename(this.#dirs.cp, this.#dirs.rsync);
      this.#rsyncAt = 'base';
    }
    return this.#result('cold', this.#o.runs.heavy, samples, last, worker);
  }

  async runIncremental(def: ScenarioDef): Promise<ScenarioResult> {
    await this.#moveEngine(def.from);
    await this.#moveRsync(def.from);
    const worker = this.#o.hasEngine ? await EngineWorker.start() : undefined;
    const samples: Record<string, number[]> = { engine: [], 'rsync -a --delete': [] };
    if (def.verify === true) samples['rsync -a --delete --checksum'] = [];
    let last: StepResult | undefined;
    const runs = def.heavy === true ? this.#o.runs.heavy : this.#o.runs.light;
    for (let i = 0; i < runs; i++) {
      const reverse = def.alternate && i % 2 === 1;
      const from = reverse ? def.to : def.from;
      const to = reverse ? def.from : def.to;
      await this.#moveEngine(from);
      await this.#moveRsync(from);
      const ops: TimedOp[] = [
        [
          'rsync -a --delete',
          async () => {
            const ms = await timeRsync(this.#wt(to), this.#dirs.rsync);
            this.#rsyncAt = to;
            return ms;
          },
        ],
      ];
      if (def.verify === true) {
        ops.push(['rsync -a --delete --checksum', () => timeRsyncChecksum(this.#wt(to), this.#dirs.rsync)]);
      }
      if (worker !== undefined) {
        ops.push([
          'engine',
          async () => {
            last = await this.#engineStep(worker, from, to, def.verify === true);
            return last.ms;
          },
        ]);
      }
      await runRotated(ops, i, samples, this.#o.dropCaches);
    }
    return this.#result(def.scenario, runs, samples, last, worker);
  }

  async close(): Promise<void> {
    if (this.#setup !== undefined) await this.#setup.stop();
    this.#setup = undefined;
  }

  async #result(
    scenario: EngineScenario,
    runs: number,
    samples: Record<string, number[]>,
    last: StepResult | undefined,
    worker: EngineWorker | undefined,
  ): Promise<ScenarioResult> {
    const rssKb = worker === undefined ? null : await worker.stop();
    const { size } = this.#o.repo;
    const result = buildScenarioResult({
      scenario,
      mode: 'engine',
      size,
      runs,
      samples,
      last,
      rssKb,
    });
    this.#o.log(
      `${scenario} @${size}: ${JSON.stringify({ engine: result.median_ms, ratios: result.ratios })}`,
    );
    return result;
  }

  #wt(name: CommitName): string {
    return this.#o.repo.worktrees[name];
  }

  async #diff(from: CommitName, to: CommitName): Promise<ChangeEntry[]> {
    const key = `${from}..${to}`;
    let changes = this.#diffs.get(key);
    if (changes === undefined) {
      changes = await diffCommits(this.#o.repo.gitDir, this.#o.repo.commits[from], this.#o.repo.commits[to]);
      this.#diffs.set(key, changes);
    }
    return changes;
  }

  async #engineStep(
    worker: EngineWorker,
    from: CommitName | null,
    to: CommitName,
    verify = false,
  ): Promise<StepResult> {
    const { commits } = this.#o.repo;
    const result = await worker.run({
      kind: 'sync',
      dataDir: this.#dirs.engine,
      sourceDir: this.#wt(to),
      commit: commits[to],
      changes: from === null ? null : await this.#diff(from, to),
      changesFrom: from === null ? null : commits[from],
      verify,
      expectApplied: from === null ? null : commits[from],
    });
    this.#engineAt = to;
    return result;
  }

  async #moveEngine(to: CommitName): Promise<void> {
    if (!this.#o.hasEngine || this.#engineAt === to) return;
    this.#setup ??= await EngineWorker.start();
    await this.#engineStep(this.#setup, this.#engineAt, to);
  }

  async #moveRsync(to: CommitName): Promise<void> {
    if (this.#rsyncAt === to) return;
    await timeRsync(this.#wt(to), this.#dirs.rsync);
    this.#rsyncAt = to;
  }
}
