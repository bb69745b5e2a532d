import { GitClient } from '../../src/git/index.ts';
import { readAppliedState, type SyncResult, syncDataDir } from '../../src/sync/index.ts';
import type { CycleStep, StepResult, SyncStep } from './worker-protocol.ts';

/** The engine as the bench drives it: engine alone (`sync`) and the whole cycle (`cycle`). */
export interface BenchEngine {
  /** Throws unless the data dir's applied commit is `expected` (null: nothing applied). */
  checkApplied(dataDir: string, expected: string | null): Promise<void>;
  sync(step: SyncStep): Promise<Omit<StepResult, 'ms'>>;
  cycle(step: CycleStep): Promise<Omit<StepResult, 'ms'>>;
}

/** The mapping roots the bench syncs; repository path = data-dir path (see generator/repo-tree.ts). */
export const BENCH_PROFILE = {
  mappings: [
    { source: 'projects', destination: 'projects', type: 'dir', required: true },
    { source: 'config/resources/core', destination: 'config/resources/core', type: 'dir', required: true },
  ],
} as const;

function summarize(result: SyncResult): Omit<StepResult, 'ms'> {
  return {
    commit: result.commit,
    strategy: result.strategy,
    added: result.added.length,
    modified: result.modified.length,
    deleted: result.deleted.length,
  };
}

/**
 * Binds the real engine (src/sync) and git client (src/git) for a worker process. The whole cycle is
 * what the agent and the standalone runner do per sync: resolve the ref, fetch the commit into the
 * reusable checkout, diff from the applied commit, apply.
 */
export async function loadEngine(): Promise<BenchEngine> {
  const git = new GitClient({});
  const auth = { kind: 'none' } as const;
  return {
    async checkApplied(dataDir, expected) {
      const applied = (await readAppliedState(dataDir))?.commit ?? null;
      if (applied !== expected) throw new Error(`data dir ${dataDir} is at ${applied}, expected ${expected}`);
    },
    async sync(step) {
      const result = await syncDataDir({
        sourceDir: step.sourceDir,
        commit: step.commit,
        ...(step.changes === null ? {} : { changes: step.changes }),
        ...(step.changesFrom === null ? {} : { changesFrom: step.changesFrom }),
        verify: step.verify,
        profile: BENCH_PROFILE,
        dataDir: step.dataDir,
        excludePatterns: [],
      });
      return summarize(result);
    },
    async cycle(step) {
      const started = performance.now();
      const { commit } = await git.resolveRef({ repo: step.repoUrl, ref: step.ref, auth });
      await git.fetchCommit({ repo: step.repoUrl, commit, ref: step.ref, auth, dir: step.fetchDir });
      const applied = (await readAppliedState(step.dataDir))?.commit;
      const changes =
        applied === undefined
          ? undefined
          : await git.diff({ dir: step.fetchDir, from: applied, to: commit, repo: step.repoUrl, auth });
      const gitMs = performance.now() - started;
      const result = await syncDataDir({
        sourceDir: step.fetchDir,
        commit,
        ...(changes === undefined ? {} : { changes, changesFrom: applied }),
        profile: BENCH_PROFILE,
        dataDir: step.dataDir,
        excludePatterns: [],
      });
      return { ...summarize(result), gitMs };
    },
  };
}
