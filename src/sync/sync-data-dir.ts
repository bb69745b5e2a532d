import { performance } from 'node:perf_hooks';
import type { Logger } from '../observability/index.ts';
import { commitPlan, type PlannedSync } from './commit-plan.ts';
import { computeDesiredTree } from './desired-tree.ts';
import { DirChainGuard } from './dir-chain-guard.ts';
import { gatherIncrementalFacts } from './gather-incremental.ts';
import { hashPairs } from './hash-pairs.ts';
import { createLimiter, type Limiter } from './limiter.ts';
import { type ChildEntry, computeManagedRoots, encodeRoots } from './managed-roots.ts';
import type { Manifest } from './manifest.ts';
import { ManifestStore } from './manifest-store.ts';
import { type ResolvedMapping, type ResolvedProfile, resolveProfile } from './mappings.ts';
import { planFullSync } from './plan-full.ts';
import { computeIncrementalCandidates, planIncrementalSync } from './plan-incremental.ts';
import type { SourceChange, SyncProfileInput } from './profile.ts';
import { scanLiveRoots } from './scan-live.ts';
import { checkMappingSource, listSourceChildren, scanMappingSource } from './scan-source.ts';
import type { ManifestEntry, MutationHook, SkippedPath, SyncPlan } from './sync-plan.ts';
import { type SyncResult, summarizePlan } from './sync-result.ts';

export interface SyncInput {
  /** The checked-out worktree of `commit`. */
  readonly sourceDir: string;
  readonly commit: string;
  /** The gateway data directory. */
  readonly dataDir: string;
  readonly profile: SyncProfileInput;
  /** The IgnitionSync's `excludePatterns` (the profile's own are in `profile`). */
  readonly excludePatterns?: readonly string[] | undefined;
  /** `git diff --name-status <applied commit> <commit>`; enables an incremental plan. */
  readonly changes?: readonly SourceChange[] | undefined;
  /** The commit `changes` start from; when given it must equal the applied commit to be used. */
  readonly changesFrom?: string | undefined;
  readonly dryRun?: boolean | undefined;
  /** Full hash comparison that also reports drift. */
  readonly verify?: boolean | undefined;
  readonly concurrency?: number | undefined;
  /** The caller binds the sync's context (commit, ref, gateway) on this logger; the engine adds only its counts. */
  readonly logger?: Logger | undefined;
  /** Test seam (kill test); see `MutationHook`. */
  readonly onMutation?: MutationHook | undefined;
}

/** The commit the data dir was last fully synced to, or null (never synced, interrupted, state lost). */
export async function readAppliedState(dataDir: string): Promise<{ commit: string } | null> {
  const state = await new ManifestStore(dataDir).readState();
  return state?.phase === 'applied' ? { commit: state.commit } : null;
}

/**
 * Makes the data dir's managed roots equal to the profile's view of `commit`: plans (incrementally from
 * `changes` when the manifest is trusted, otherwise by full comparison), then applies unless `dryRun`.
 * `prepareSync` + `applyPreparedSync` are the same in two steps, for callers that act between planning and
 * writing (the sync cycle takes the gateway's scan locks the plan needs).
 *
 * @example
 * const applied = await readAppliedState(dataDir);
 * const changes = applied ? await git.diff({ dir, from: applied.commit, to: commit }) : undefined;
 * const result = await syncDataDir({ sourceDir: dir, commit, dataDir, profile, changes, changesFrom: applied?.commit });
 */
export async function syncDataDir(input: SyncInput): Promise<SyncResult> {
  return applyPreparedSync(await prepareSync(input));
}

/** A plan of one sync, made once and applied at most once. */
export interface PreparedSync {
  /** What the sync will do; exactly what a dry run reports. */
  readonly preview: SyncResult;
  readonly projectsChanged: boolean;
  readonly configChanged: boolean;
  readonly input: SyncInput;
  readonly planned: PlannedSync;
  readonly startedAt: number;
}

/** Plans `input` without writing anything. */
export async function prepareSync(input: SyncInput): Promise<PreparedSync> {
  const startedAt = performance.now();
  const planned = await planSync(input);
  const plannedBytes = planned.plan.writes.reduce((sum, w) => sum + w.size, 0);
  const preview = summarizePlan(planned.plan, {
    dryRun: true,
    bytesWritten: plannedBytes,
    durationMs: elapsed(startedAt),
  });
  input.logger?.debug(logFields(preview), 'sync planned');
  return {
    preview,
    projectsChanged: preview.projectsChanged,
    configChanged: preview.configChanged,
    input,
    planned,
    startedAt,
  };
}

/** Writes a prepared plan (or, for a dry run, returns its preview). */
export async function applyPreparedSync(prepared: PreparedSync): Promise<SyncResult> {
  const { input, planned, startedAt } = prepared;
  if (input.dryRun === true) return { ...prepared.preview, durationMs: elapsed(startedAt) };
  const bytesWritten = await commitPlan(planned, input);
  const result = summarizePlan(planned.plan, { dryRun: false, bytesWritten, durationMs: elapsed(startedAt) });
  input.logger?.[planned.plan.strategy === 'noop' ? 'debug' : 'info'](logFields(result), 'sync completed');
  return result;
}

/** Reads the source, the live data dir and the manifest, and plans. Never writes. */
export async function planSync(input: SyncInput): Promise<PlannedSync> {
  const profile = resolveProfile(input.profile, input.excludePatterns ?? []);
  const store = new ManifestStore(input.dataDir);
  const state = await store.readState();
  const isCurrent = state?.phase === 'applied' && state.fingerprint === profile.fingerprint;
  if (isCurrent && state.commit === input.commit && input.verify !== true) {
    return { plan: emptyPlan(input.commit), profile, state, manifest: null };
  }
  const stored = await store.readManifest();
  const trusted = isCurrent && stored !== null && stored.id === state.manifestId ? stored : null;
  const limit = createLimiter(input.concurrency ?? 16);
  const { active, skipped } = await checkSources(input.sourceDir, profile);
  const context = { input, profile, active, skipped, limit };
  const canIncremental =
    trusted !== null &&
    input.verify !== true &&
    input.changes !== undefined &&
    (input.changesFrom === undefined || (state?.phase === 'applied' && input.changesFrom === state.commit));
  if (canIncremental && input.changes !== undefined) {
    const plan = await planIncrementally(context, trusted, input.changes);
    if (plan !== null) return { plan, profile, state, manifest: trusted };
  }
  const reportDrift = input.verify === true && trusted !== null;
  const plan = await planFully(context, stored?.roots ?? null, reportDrift ? trusted.entries : null);
  return { plan, profile, state, manifest: trusted };
}

interface PlanContext {
  readonly input: SyncInput;
  readonly profile: ResolvedProfile;
  readonly active: readonly ResolvedMapping[];
  readonly skipped: readonly SkippedPath[];
  readonly limit: Limiter;
}

async function checkSources(
  sourceDir: string,
  profile: ResolvedProfile,
): Promise<{ active: ResolvedMapping[]; skipped: SkippedPath[] }> {
  const active: ResolvedMapping[] = [];
  const skipped: SkippedPath[] = [];
  for (const mapping of profile.mappings) {
    if ((await checkMappingSource(sourceDir, mapping)) === 'missing') {
      skipped.push({ path: mapping.source, reason: 'optional-source-missing', detail: mapping.origin });
    } else active.push(mapping);
  }
  return { active, skipped };
}

async function planIncrementally(
  ctx: PlanContext,
  manifest: Manifest,
  changes: readonly SourceChange[],
): Promise<SyncPlan | null> {
  const previous = manifest.entries;
  const { input, profile, active } = ctx;
  const children = new Map<number, readonly ChildEntry[]>();
  for (const m of active) {
    if (m.rootMode === 'children')
      children.set(m.index, await listSourceChildren(input.sourceDir, m, profile));
  }
  const roots = computeManagedRoots({ profile, active, children, previousRoots: manifest.roots });
  // a new root (an optional source appeared, a new top-level entry under ".") may hold live orphans that
  // only a walk finds: plan fully once
  if (encodeRoots(roots).join('\n') !== manifest.roots.join('\n')) return null;
  const gathered = await gatherIncrementalFacts({
    sourceDir: input.sourceDir,
    dataDir: input.dataDir,
    profile,
    candidates: computeIncrementalCandidates(profile, active, changes),
    previous,
    roots,
    liveGuard: new DirChainGuard(input.dataDir),
    sourceGuard: new DirChainGuard(input.sourceDir),
    limit: ctx.limit,
  });
  if (gathered === 'needs-full') return null;
  const skipped = [...ctx.skipped, ...gathered.skipped];
  return planIncrementalSync({
    commit: input.commit,
    profile,
    roots,
    facts: gathered.facts,
    previous,
    skipped,
  });
}

async function planFully(
  ctx: PlanContext,
  previousRoots: readonly string[] | null,
  driftBaseline: ReadonlyMap<string, ManifestEntry> | null,
): Promise<SyncPlan> {
  const { input, profile, active } = ctx;
  const scans = await Promise.all(active.map((m) => scanMappingSource(input.sourceDir, m, profile)));
  const tree = computeDesiredTree(
    profile,
    scans.map((s) => s.listing),
    (text) => Buffer.byteLength(text),
  );
  const children = new Map(active.map((m, i) => [m.index, scans[i]?.children ?? []] as const));
  const roots = computeManagedRoots({ profile, active, children, previousRoots });
  const live = await scanLiveRoots(input.dataDir, roots, profile, new DirChainGuard(input.dataDir));
  const hashes = await hashPairs({
    sourceDir: input.sourceDir,
    dataDir: input.dataDir,
    desired: tree.desired,
    live,
    previous: driftBaseline,
  });
  return planFullSync({
    commit: input.commit,
    profile,
    roots,
    desired: tree.desired,
    live,
    ...hashes,
    previous: driftBaseline,
    reportDrift: driftBaseline !== null,
    skipped: [...ctx.skipped, ...scans.flatMap((s) => s.skipped), ...tree.skipped],
  });
}

function emptyPlan(commit: string): SyncPlan {
  return {
    commit,
    strategy: 'noop',
    writes: [],
    chmods: [],
    deletes: [],
    removeDirs: [],
    skipped: [],
    drift: [],
    roots: [],
    nextManifest: new Map(),
  };
}

function elapsed(started: number): number {
  return Math.round((performance.now() - started) * 1000) / 1000;
}

function logFields(result: SyncResult): Record<string, unknown> {
  return {
    strategy: result.strategy,
    added: result.added.length,
    modified: result.modified.length,
    deleted: result.deleted.length,
    skipped: result.skipped.length,
    drift: result.drift.length,
    bytesWritten: result.bytesWritten,
    durationMs: result.durationMs,
  };
}
