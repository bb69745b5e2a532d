import { randomUUID } from 'node:crypto';
import { applyPlan } from './apply-plan.ts';
import type { Manifest, SyncState } from './manifest.ts';
import { ManifestStore } from './manifest-store.ts';
import type { ResolvedProfile } from './mappings.ts';
import { hasFileOperations, type ManifestEntry, type MutationHook, type SyncPlan } from './sync-plan.ts';

/** A plan plus what committing it needs. Produced by `planSync` (reads only, never writes). */
export interface PlannedSync {
  readonly plan: SyncPlan;
  readonly profile: ResolvedProfile;
  readonly state: SyncState | null;
  /** The trusted manifest of the applied state, if any. */
  readonly manifest: Manifest | null;
}

export interface CommitOptions {
  readonly sourceDir: string;
  readonly dataDir: string;
  readonly concurrency?: number | undefined;
  readonly onMutation?: MutationHook | undefined;
}

/**
 * Applies the plan and records it. Crash safety: before the first data operation the state is replaced by
 * an `applying` marker, so a run killed at any point is followed by a full plan (which also removes leftover
 * temporary files); the manifest is written only after all data, and the `applied` state (naming that
 * manifest) last. A stale manifest can therefore never cause a skipped write.
 */
export async function commitPlan(planned: PlannedSync, input: CommitOptions): Promise<number> {
  const { plan, profile, state, manifest } = planned;
  if (plan.strategy === 'noop') return 0;
  const store = new ManifestStore(input.dataDir);
  const hook = input.onMutation ?? (() => {});
  let bytesWritten = 0;
  const entries = new Map(plan.nextManifest);
  if (hasFileOperations(plan)) {
    hook('state', 'applying');
    await store.writeState({
      version: 1,
      phase: 'applying',
      target: plan.commit,
      fingerprint: profile.fingerprint,
    });
    const outcome = await applyPlan(plan, {
      sourceDir: input.sourceDir,
      dataDir: input.dataDir,
      ...concurrency(input),
      onMutation: input.onMutation,
    });
    for (const [path, entry] of outcome.written) entries.set(path, entry);
    bytesWritten = outcome.bytesWritten;
  }
  let manifestId = manifest?.id;
  const isSameManifest =
    manifest !== null &&
    manifest.roots.join('\n') === plan.roots.join('\n') &&
    sameEntries(manifest.entries, entries);
  if (manifestId === undefined || hasFileOperations(plan) || !isSameManifest) {
    manifestId = randomUUID();
    hook('manifest', 'manifest.json');
    await store.writeManifest({
      id: manifestId,
      fingerprint: profile.fingerprint,
      roots: plan.roots,
      entries,
    });
  }
  const next: SyncState = {
    version: 1,
    phase: 'applied',
    commit: plan.commit,
    fingerprint: profile.fingerprint,
    manifestId,
  };
  if (JSON.stringify(next) !== JSON.stringify(state)) {
    hook('state', 'applied');
    await store.writeState(next);
  }
  return bytesWritten;
}

function concurrency(input: CommitOptions): { concurrency?: number } {
  return input.concurrency === undefined ? {} : { concurrency: input.concurrency };
}

function sameEntries(a: ReadonlyMap<string, ManifestEntry>, b: ReadonlyMap<string, ManifestEntry>): boolean {
  if (a.size !== b.size) return false;
  for (const [path, x] of a) {
    const y = b.get(path);
    if (y === undefined || x.hash !== y.hash || x.size !== y.size || x.mode !== y.mode) return false;
  }
  return true;
}
