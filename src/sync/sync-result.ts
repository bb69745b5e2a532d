import type { DriftEntry, PlanStrategy, SkippedPath, SyncPlan } from './sync-plan.ts';

/** What one sync did (or, for a dry run, would do). */
export interface SyncResult {
  readonly commit: string;
  /** `noop` (already at the commit), `incremental` (from the change list) or `full` (hash comparison). */
  readonly strategy: PlanStrategy;
  readonly added: readonly string[];
  /** Content or mode changed. */
  readonly modified: readonly string[];
  readonly deleted: readonly string[];
  readonly skipped: readonly SkippedPath[];
  /** Found by a verification pass before being corrected. */
  readonly drift: readonly DriftEntry[];
  readonly bytesWritten: number;
  readonly durationMs: number;
  /** Project names (first segment below `projects/`) with any change. */
  readonly projectsTouched: readonly string[];
  readonly projectsChanged: boolean;
  readonly configChanged: boolean;
  readonly dryRun: boolean;
}

/** Turns a plan into the user-facing report. Pure; the same for a dry run and the apply it predicts. */
export function summarizePlan(
  plan: SyncPlan,
  facts: { readonly dryRun: boolean; readonly bytesWritten: number; readonly durationMs: number },
): SyncResult {
  const added = plan.writes.filter((w) => w.kind === 'add').map((w) => w.path);
  const modified = [...plan.writes.filter((w) => w.kind === 'modify'), ...plan.chmods]
    .map((w) => w.path)
    .sort();
  const deleted = plan.deletes.map((d) => d.path);
  const changed = [...added, ...modified, ...deleted];
  const projects = new Set<string>();
  for (const path of changed) {
    const [top, name, below] = path.split('/');
    if (top === 'projects' && name !== undefined && below !== undefined) projects.add(name);
  }
  return {
    commit: plan.commit,
    strategy: plan.strategy,
    added,
    modified,
    deleted,
    skipped: plan.skipped,
    drift: plan.drift,
    bytesWritten: facts.bytesWritten,
    durationMs: facts.durationMs,
    projectsTouched: [...projects].sort(),
    projectsChanged: changed.some((p) => p.startsWith('projects/')),
    configChanged: changed.some((p) => p.startsWith('config/')),
    dryRun: facts.dryRun,
  };
}
