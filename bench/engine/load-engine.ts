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

interface SyncModule {
  syncDataDir(input: Record<string, unknown>): Promise<{
    commit: string;
    strategy?: string;
    added: readonly unknown[];
    modified: readonly unknown[];
    deleted: readonly unknown[];
  }>;
  readAppliedState(dataDir: string): Promise<{ commit: string } | null>;
}

function isSyncModule(value: unknown): value is SyncModule {
  const m = value as Partial<Record<keyof SyncModule, unknown>> | null;
  return typeof m?.syncDataDir === 'function' && typeof m.readAppliedState === 'function';
}

/** Loads src/sync (engine of engineer C). Rejects when it is not there yet. */
export async function loadEngine(): Promise<BenchEngine> {
  const specifier = new URL('../../src/sync/index.ts', import.meta.url).href;
  const sync: unknown = await import(specifier);
  if (!isSyncModule(sync))
    throw new Error('src/sync/index.ts does not export syncDataDir and readAppliedState');
  return {
    async checkApplied(dataDir, expected) {
      const applied = (await sync.readAppliedState(dataDir))?.commit ?? null;
      if (applied !== expected) throw new Error(`data dir ${dataDir} is at ${applied}, expected ${expected}`);
    },
    async sync(step) {
      const result = await sync.syncDataDir({
        sourceDir: step.sourceDir,
        commit: step.commit,
        ...(step.changes === null ? {} : { changes: step.changes }),
        ...(step.changesFrom === null ? {} : { changesFrom: step.changesFrom }),
        verify: step.verify,
        profile: BENCH_PROFILE,
        dataDir: step.dataDir,
        excludePatterns: [],
      });
      return {
        commit: result.commit,
        strategy: String(result.strategy ?? 'unknown'),
        added: result.added.length,
        modified: result.modified.length,
        deleted: result.deleted.length,
      };
    },
    cycle() {
      return Promise.reject(new Error('whole-cycle scenarios need src/git; not wired yet'));
    },
  };
}
