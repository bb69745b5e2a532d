import type { Decision } from './decide-path.ts';
import { encodeRoots, type ManagedRoot, rootsToRecord } from './managed-roots.ts';
import type {
  ChmodOp,
  DeleteOp,
  DriftEntry,
  ManifestEntry,
  PlanStrategy,
  SkippedPath,
  SyncPlan,
  WriteOp,
} from './sync-plan.ts';

/** Collects decisions into a plan with deterministic (sorted) operation lists. */
export class PlanBuilder {
  readonly writes: WriteOp[] = [];
  readonly chmods: ChmodOp[] = [];
  readonly deletes: DeleteOp[] = [];
  readonly skipped: SkippedPath[] = [];
  readonly drift: DriftEntry[] = [];
  readonly nextManifest: Map<string, ManifestEntry>;

  constructor(base: ReadonlyMap<string, ManifestEntry> = new Map()) {
    this.nextManifest = new Map(base);
  }

  add(path: string, decision: Decision): void {
    this.nextManifest.delete(path);
    if (decision.write !== undefined) this.writes.push(decision.write);
    if (decision.chmod !== undefined) this.chmods.push(decision.chmod);
    if (decision.delete !== undefined) this.deletes.push(decision.delete);
    if (decision.skipped !== undefined) this.skipped.push(decision.skipped);
    if (decision.drift !== undefined) this.drift.push(decision.drift);
    if (decision.keep !== undefined) this.nextManifest.set(path, decision.keep);
  }

  build(
    commit: string,
    strategy: PlanStrategy,
    removeDirs: readonly string[],
    roots: readonly ManagedRoot[],
  ): SyncPlan {
    const kept = [...this.nextManifest.keys(), ...this.writes.map((w) => w.path)];
    const byPath = (a: { path: string }, b: { path: string }): number =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
    return {
      commit,
      strategy,
      writes: this.writes.sort(byPath),
      chmods: this.chmods.sort(byPath),
      deletes: this.deletes.sort(byPath),
      removeDirs,
      skipped: this.skipped.sort(byPath),
      drift: this.drift.sort(byPath),
      roots: encodeRoots(rootsToRecord(roots, kept)),
      nextManifest: this.nextManifest,
    };
  }
}
