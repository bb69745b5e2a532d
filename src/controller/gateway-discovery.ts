import {
  type DiscoveredGateway,
  GATEWAY_REPORT_KEY,
  GatewayReport,
  GatewaySyncStatuses,
  gatewayReportName,
  PodAnnotations,
  type SyncProfileSpec,
} from '../api/index.ts';
import { ApiReasons, ControllerReasons } from '../reasons/index.ts';
import type { ConfigMapObject, PodObject } from './objects.ts';

const APP_NAME_LABEL = 'app.kubernetes.io/name';

/** A pod that follows an IgnitionSync, as the controller sees it. */
export interface GatewayPod {
  readonly namespace: string;
  readonly podName: string;
  readonly uid: string | undefined;
  /** Annotation `gateway-name`, else label `app.kubernetes.io/name`, else the pod name. */
  readonly name: string;
  readonly profile: string | undefined;
  readonly servicePath: string | undefined;
}

/** The IgnitionSync (`namespace/name` key) an annotated pod follows, or undefined. */
export function followedIgnitionSync(pod: PodObject): string | undefined {
  const a = pod.metadata.annotations;
  const crName = a?.[PodAnnotations.crName];
  const ns = pod.metadata.namespace;
  if (a?.[PodAnnotations.inject] !== 'true' || crName === undefined || crName === '' || ns === undefined)
    return undefined;
  return `${ns}/${crName}`;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

export function gatewayPodOf(pod: PodObject): GatewayPod {
  const a = pod.metadata.annotations;
  return {
    namespace: pod.metadata.namespace ?? '',
    podName: pod.metadata.name,
    uid: pod.metadata.uid,
    name:
      nonEmpty(a?.[PodAnnotations.gatewayName]) ??
      nonEmpty(pod.metadata.labels?.[APP_NAME_LABEL]) ??
      pod.metadata.name,
    profile: nonEmpty(a?.[PodAnnotations.syncProfile]),
    servicePath: nonEmpty(a?.[PodAnnotations.servicePath]),
  };
}

/** The gateway pods of IgnitionSync `namespace/name`, sorted by pod name. */
export function gatewayPodsOf(pods: Iterable<PodObject>, namespace: string, name: string): GatewayPod[] {
  const key = `${namespace}/${name}`;
  const found: GatewayPod[] = [];
  for (const pod of pods) if (followedIgnitionSync(pod) === key) found.push(gatewayPodOf(pod));
  return found.sort((a, b) => (a.podName < b.podName ? -1 : a.podName > b.podName ? 1 : 0));
}

/** What the agent of one pod reported. */
export type ReportRead =
  | { readonly kind: 'none' }
  | { readonly kind: 'invalid'; readonly message: string }
  | { readonly kind: 'ok'; readonly report: GatewayReport };

/**
 * Reads `<pod>.sync-status` for `pod`: none when missing or left by an earlier pod of the same name (its
 * owner reference names another uid), invalid when it breaks the contract. Never throws.
 */
export function readGatewayReport(cm: ConfigMapObject | undefined, pod: GatewayPod): ReportRead {
  if (cm === undefined || cm.metadata.name !== gatewayReportName(pod.podName)) return { kind: 'none' };
  const podOwner = cm.metadata.ownerReferences?.find((r) => r.kind === 'Pod');
  if (podOwner !== undefined && pod.uid !== undefined && podOwner.uid !== pod.uid) return { kind: 'none' };
  const text = cm.data?.[GATEWAY_REPORT_KEY];
  if (text === undefined) return { kind: 'invalid', message: `report has no ${GATEWAY_REPORT_KEY} key` };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'invalid', message: `${GATEWAY_REPORT_KEY} is not JSON` };
  }
  const result = GatewayReport.safeParse(json);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? '' : `${issue.path.join('.')}: `;
    return { kind: 'invalid', message: `${GATEWAY_REPORT_KEY}: ${where}${issue?.message ?? 'invalid'}` };
  }
  return { kind: 'ok', report: result.data };
}

/** The SyncProfile a pod names, as found in its namespace. */
export type ProfileState =
  | { readonly kind: 'ok'; readonly spec: SyncProfileSpec }
  | { readonly kind: 'missing' }
  | { readonly kind: 'invalid'; readonly message: string };

function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const s = ms / 1000;
  return s < 60 ? `${Number(s.toFixed(1))}s` : `${Math.floor(s / 60)}m${Math.round(s % 60)}s`;
}

function fromReport(report: GatewayReport, desiredCommit: string | undefined): Partial<DiscoveredGateway> {
  const added = report.filesAdded;
  const modified = report.filesModified;
  const deleted = report.filesDeleted;
  const changed =
    added === undefined && modified === undefined && deleted === undefined
      ? undefined
      : (added ?? 0) + (modified ?? 0) + (deleted ?? 0);
  const atOtherCommit =
    report.syncStatus === GatewaySyncStatuses.Synced &&
    desiredCommit !== undefined &&
    report.commit !== desiredCommit;
  const scan =
    report.scans === undefined || report.scans.length === 0
      ? undefined
      : Object.fromEntries(report.scans.map((s) => [s, 'completed']));
  return {
    ...(report.commit === undefined ? {} : { commit: report.commit }),
    // Synced at an older commit is not synced to what is published now: the agent has not picked it up yet.
    syncStatus: atOtherCommit
      ? GatewaySyncStatuses.Pending
      : (report.syncStatus as DiscoveredGateway['syncStatus']),
    ...(report.lastSyncTime === undefined ? {} : { lastSyncTime: report.lastSyncTime }),
    ...(report.lastSyncDurationMs === undefined
      ? {}
      : { lastSyncDuration: formatDuration(report.lastSyncDurationMs) }),
    ...(changed === undefined ? {} : { filesChanged: changed }),
    ...(added === undefined ? {} : { filesAdded: added }),
    ...(modified === undefined ? {} : { filesModified: modified }),
    ...(deleted === undefined ? {} : { filesDeleted: deleted }),
    ...(scan === undefined ? {} : { scan }),
    ...(report.driftCount === undefined ? {} : { driftCount: report.driftCount }),
    ...(report.driftPaths === undefined ? {} : { driftPaths: report.driftPaths }),
    ...(atOtherCommit
      ? { reason: ApiReasons.SyncInProgress }
      : report.reason === undefined
        ? {}
        : { reason: report.reason }),
    ...(report.error === undefined || atOtherCommit ? {} : { error: report.error }),
  };
}

/**
 * One `status.discoveredGateways[]` entry: identity from the pod, state from its report (`Pending` when there
 * is none yet), and a profile problem, which overrides the report because the agent cannot sync without it.
 */
export function discoveredGateway(
  pod: GatewayPod,
  report: ReportRead,
  profile: ProfileState | undefined,
  desiredCommit: string | undefined,
): DiscoveredGateway {
  const base: DiscoveredGateway = {
    name: pod.name,
    namespace: pod.namespace,
    podName: pod.podName,
    ...(pod.profile === undefined ? {} : { profile: pod.profile }),
    ...(pod.profile !== undefined || pod.servicePath === undefined ? {} : { servicePath: pod.servicePath }),
    syncStatus: GatewaySyncStatuses.Pending,
  };
  let entry: DiscoveredGateway = base;
  if (report.kind === 'ok') entry = { ...base, ...fromReport(report.report, desiredCommit) };
  if (report.kind === 'invalid') {
    entry = {
      ...base,
      syncStatus: GatewaySyncStatuses.Failed,
      reason: ControllerReasons.GatewayReportInvalid,
      error: `report ${gatewayReportName(pod.podName)} is invalid: ${report.message}`,
    };
  }
  const problem = profileProblem(pod, profile);
  if (problem !== undefined) {
    entry = {
      ...entry,
      syncStatus: GatewaySyncStatuses.Failed,
      reason: problem.reason,
      error: problem.message,
    };
  }
  return entry;
}

function profileProblem(
  pod: GatewayPod,
  profile: ProfileState | undefined,
): { reason: string; message: string } | undefined {
  if (pod.profile === undefined) {
    if (pod.servicePath !== undefined) return undefined;
    return {
      reason: ControllerReasons.ProfileNotFound,
      message: `pod ${pod.podName} names neither a SyncProfile (annotation ${PodAnnotations.syncProfile}) nor a service path (${PodAnnotations.servicePath})`,
    };
  }
  if (profile === undefined || profile.kind === 'missing') {
    return {
      reason: ControllerReasons.ProfileNotFound,
      message: `SyncProfile ${pod.profile} named by pod ${pod.podName} does not exist in namespace ${pod.namespace}`,
    };
  }
  if (profile.kind === 'invalid') {
    return {
      reason: ApiReasons.ProfileInvalid,
      message: `SyncProfile ${pod.profile} is invalid: ${profile.message}`,
    };
  }
  return undefined;
}
