import {
  ConditionTypes,
  type DiscoveredGateway,
  GatewaySyncStatuses,
  type IgnitionSyncStatus,
} from '../api/index.ts';
import { type ErrorKind, REASON_PATTERN } from '../errors.ts';
import { type Condition, type ConditionUpdate, removeCondition, setCondition } from '../kube/index.ts';
import { ApiReasons, type Reason, reasonInfo } from '../reasons/index.ts';

/** A failure as the status shows it. */
export interface Failure {
  readonly reason: Reason;
  readonly kind: ErrorKind;
  readonly message: string;
}

/** How this reconcile got its commit. */
export type Resolution =
  | { readonly kind: 'resolved'; readonly ref: string; readonly commit: string }
  /** Paused: the published commit is kept, git is not asked. */
  | { readonly kind: 'kept'; readonly ref: string; readonly commit: string }
  | { readonly kind: 'failed'; readonly ref: string; readonly failure: Failure };

/** Everything one reconcile observed, from which the next status follows. */
export interface Observation {
  readonly generation: number;
  readonly paused: boolean;
  readonly hostKeyVerificationDisabled: boolean;
  readonly resolution: Resolution | undefined;
  /** What the desired-state ConfigMap says after this reconcile (undefined: nothing published yet). */
  readonly published: { readonly ref: string; readonly commit: string } | undefined;
  readonly publishFailure?: Failure | undefined;
  /** One entry per gateway pod, sorted by pod name. */
  readonly gateways: readonly DiscoveredGateway[];
}

const short = (commit: string): string => commit.slice(0, 12);

/** A gateway's reason as a condition reason: registered and well-formed, else `SyncFailed`. */
function gatewayConditionReason(reason: string | undefined): string {
  if (reason === undefined || !REASON_PATTERN.test(reason)) return ApiReasons.SyncFailed;
  return reasonInfo(reason) === undefined ? ApiReasons.SyncFailed : reason;
}

/** Pure: the AllGatewaysSynced condition for the gateways and the published commit. */
export function allGatewaysSyncedCondition(
  gateways: readonly DiscoveredGateway[],
  published: Observation['published'],
  generation: number,
): ConditionUpdate {
  const base = { type: ConditionTypes.AllGatewaysSynced, observedGeneration: generation };
  if (gateways.length === 0)
    return {
      ...base,
      status: 'False',
      reason: ApiReasons.NoGatewaysDiscovered,
      message: 'no gateway pod follows this IgnitionSync',
    };
  if (published === undefined)
    return {
      ...base,
      status: 'False',
      reason: ApiReasons.SyncInProgress,
      message: 'no commit has been published yet',
    };
  const synced = gateways.filter(
    (g) => g.syncStatus === GatewaySyncStatuses.Synced && g.commit === published.commit,
  );
  if (synced.length === gateways.length)
    return {
      ...base,
      status: 'True',
      reason: ApiReasons.AllSynced,
      message: `${synced.length}/${gateways.length} gateways synced to ${short(published.commit)}`,
    };
  const failed = gateways.filter((g) => g.syncStatus === GatewaySyncStatuses.Failed);
  const first = failed[0];
  if (first !== undefined)
    return {
      ...base,
      status: 'False',
      reason: gatewayConditionReason(first.reason),
      message: `${failed.length} of ${gateways.length} gateways failed; ${first.podName ?? first.name}: ${first.error ?? first.reason ?? 'failed'}`,
    };
  return {
    ...base,
    status: 'False',
    reason: ApiReasons.SyncInProgress,
    message: `${synced.length}/${gateways.length} gateways synced to ${short(published.commit)}`,
  };
}

/** The latest report time among the gateways (RFC 3339 strings compare by Date). */
function latest(times: readonly (string | undefined)[]): string | undefined {
  let best: string | undefined;
  for (const t of times)
    if (t !== undefined && (best === undefined || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}

/**
 * Pure: the next IgnitionSync status from the previous one and what this reconcile observed. Conditions keep
 * their `lastTransitionTime` unless their status flips; abnormal-true conditions (`Stalled`,
 * `HostKeyVerificationDisabled`) are removed when they do not apply. Fields the controller does not manage
 * (`pendingApproval`) are kept.
 */
export function computeStatus(
  prev: IgnitionSyncStatus | undefined,
  obs: Observation,
  now: Date,
): IgnitionSyncStatus {
  const generation = obs.generation;
  let conditions: Condition[] = [...((prev?.conditions ?? []) as Condition[])];
  const set = (u: ConditionUpdate): void => {
    conditions = setCondition(conditions, u, now);
  };
  const r = obs.resolution;
  if (r?.kind === 'resolved') {
    set({
      type: ConditionTypes.RefResolved,
      status: 'True',
      reason: ApiReasons.RefResolved,
      message: `${r.ref} resolved to ${r.commit}`,
      observedGeneration: generation,
    });
  } else if (r?.kind === 'failed') {
    set({
      type: ConditionTypes.RefResolved,
      status: 'False',
      reason: r.failure.reason,
      message: r.failure.message,
      observedGeneration: generation,
    });
  }
  const allSynced = allGatewaysSyncedCondition(obs.gateways, obs.published, generation);
  set(allSynced);

  const failure = obs.publishFailure ?? (r?.kind === 'failed' ? r.failure : undefined);
  if (failure?.kind === 'stalling') {
    set({
      type: ConditionTypes.Stalled,
      status: 'True',
      reason: failure.reason,
      message: failure.message,
      observedGeneration: generation,
    });
  } else {
    conditions = removeCondition(conditions, ConditionTypes.Stalled);
  }
  if (obs.hostKeyVerificationDisabled) {
    set({
      type: ConditionTypes.HostKeyVerificationDisabled,
      status: 'True',
      reason: ApiReasons.KnownHostsMissing,
      message: 'spec.git.auth.sshKey has no knownHostsSecretRef: the git server host key is not verified',
      observedGeneration: generation,
    });
  } else {
    conditions = removeCondition(conditions, ConditionTypes.HostKeyVerificationDisabled);
  }

  const ready = ((): Omit<ConditionUpdate, 'type' | 'observedGeneration'> => {
    if (obs.paused) {
      const at = obs.published === undefined ? '' : ` at ${short(obs.published.commit)}`;
      return {
        status: 'False',
        reason: ApiReasons.Paused,
        message: `spec.paused: gateways are held${at}`,
      };
    }
    if (failure !== undefined) return { status: 'False', reason: failure.reason, message: failure.message };
    if (allSynced.status !== 'True') {
      return { status: 'False', reason: allSynced.reason, message: allSynced.message };
    }
    return { status: 'True', reason: ApiReasons.Succeeded, message: allSynced.message };
  })();
  set({ type: ConditionTypes.Ready, observedGeneration: generation, ...ready });

  const published = obs.published;
  const syncedCount = obs.gateways.filter(
    (g) =>
      g.syncStatus === GatewaySyncStatuses.Synced && published !== undefined && g.commit === published.commit,
  ).length;
  let lastSyncTime = prev?.lastSyncTime;
  if (allSynced.status === 'True' && published !== undefined) {
    const wasSyncedAtCommit =
      prev?.resolvedCommit === published.commit &&
      prev.conditions?.some((c) => c.type === ConditionTypes.AllGatewaysSynced && c.status === 'True') ===
        true;
    lastSyncTime =
      latest(obs.gateways.map((g) => g.lastSyncTime)) ??
      (wasSyncedAtCommit ? prev?.lastSyncTime : undefined) ??
      `${now.toISOString().slice(0, 19)}Z`;
  }
  return {
    ...prev,
    observedGeneration: generation,
    ...(published === undefined ? {} : { resolvedRef: published.ref, resolvedCommit: published.commit }),
    ...(lastSyncTime === undefined ? {} : { lastSyncTime }),
    gatewayCount: obs.gateways.length,
    syncedGatewayCount: syncedCount,
    gatewaySummary: `${syncedCount}/${obs.gateways.length}`,
    discoveredGateways: [...obs.gateways],
    conditions,
  };
}
