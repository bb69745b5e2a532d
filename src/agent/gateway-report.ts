import {
  GATEWAY_REPORT_KEY,
  GatewayReport,
  GatewaySyncStatuses,
  gatewayReportName,
  Labels,
  MANAGED_BY,
  ObjectRoleLabel,
  ObjectRoles,
} from '../api/index.ts';
import { type GatewaySyncError, type GatewaySyncOutcome, GatewaySyncReasons } from '../gateway-sync/index.ts';
import { AgentReasons } from '../reasons/index.ts';
import type { AgentIdentity } from './agent-config.ts';
import type { ConfigMap } from './kube-objects.ts';

export type { GatewayReport } from '../api/index.ts';

/** The fields that describe the last finished sync; carried over by reports that are not one. */
const LAST_SYNC_FIELDS = [
  'lastSyncTime',
  'lastSyncDurationMs',
  'filesAdded',
  'filesModified',
  'filesDeleted',
  'scans',
  'driftCount',
  'driftPaths',
] as const satisfies readonly (keyof GatewayReport)[];

const MAX_REASON = 1024;
const MAX_ERROR = 4096;
const MAX_DRIFT_PATHS = 20;
const MAX_PATH = 1024;

/** The state of the gateway the report is about, besides what happened. */
export interface ReportContext {
  readonly identity: AgentIdentity;
  /** The report written before (this process's, or the one found at start); carries the last sync's fields. */
  readonly previous: GatewayReport | undefined;
  /** The published commit this report answers (absent when no valid desired state is published). */
  readonly desiredCommit: string | undefined;
  /** The commit the data dir is at (its applied state), if any. */
  readonly appliedCommit: string | undefined;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function baseOf(ctx: ReportContext): GatewayReport {
  const { identity } = ctx;
  return {
    version: 1,
    name: identity.gatewayName,
    podName: identity.podName,
    ...(identity.routing.kind === 'profile'
      ? { profile: identity.routing.profile }
      : { servicePath: identity.routing.servicePath }),
    ...(ctx.desiredCommit === undefined ? {} : { desiredCommit: ctx.desiredCommit }),
    ...(ctx.appliedCommit === undefined ? {} : { commit: ctx.appliedCommit }),
    syncStatus: GatewaySyncStatuses.Pending,
  };
}

function lastSyncOf(previous: GatewayReport | undefined): Partial<GatewayReport> {
  if (previous === undefined) return {};
  const kept: Record<string, unknown> = {};
  for (const field of LAST_SYNC_FIELDS) {
    if (previous[field] !== undefined) kept[field] = previous[field];
  }
  return kept as Partial<GatewayReport>;
}

function errorFields(error: GatewaySyncError): Partial<GatewayReport> {
  return {
    reason: truncate(error.reason, MAX_REASON),
    kind: error.kind,
    error: truncate(error.message, MAX_ERROR),
  };
}

/** A sync of `desiredCommit` started: the last sync's fields stay until it ends. */
export function syncingReport(ctx: ReportContext): GatewayReport {
  return { ...baseOf(ctx), ...lastSyncOf(ctx.previous), syncStatus: GatewaySyncStatuses.Syncing };
}

/**
 * Nothing to sync to: no desired state is published (yet). The gateway keeps its state. Reports that are not
 * failures carry a reason but no `error` (the contract's only message field is for failures).
 */
export function pendingReport(ctx: ReportContext): GatewayReport {
  return {
    ...baseOf(ctx),
    ...lastSyncOf(ctx.previous),
    syncStatus: GatewaySyncStatuses.Pending,
    reason: AgentReasons.DesiredStateMissing,
  };
}

/** Paused (IgnitionSync or profile): nothing new is written; the last sync's fields stay. */
export function pausedReport(ctx: ReportContext): GatewayReport {
  return {
    ...baseOf(ctx),
    ...lastSyncOf(ctx.previous),
    syncStatus: GatewaySyncStatuses.Held,
    reason: AgentReasons.Paused,
  };
}

/**
 * The agent could not sync: an invalid desired state, an unpublished profile (not a sync: the last sync's
 * fields stay), or a failure before the engine ran, such as the fetch (a sync that ended: `endedAt` set).
 */
export function failedReport(ctx: ReportContext, error: GatewaySyncError, endedAt?: Date): GatewayReport {
  const ended: Partial<GatewayReport> =
    endedAt === undefined ? lastSyncOf(ctx.previous) : { lastSyncTime: endedAt.toISOString() };
  return { ...baseOf(ctx), ...ended, syncStatus: GatewaySyncStatuses.Failed, ...errorFields(error) };
}

/**
 * The report of a finished sync: Synced or Failed with reason, kind and message, what the engine wrote (or
 * for a dry run would write: reported as Held with reason DryRun), the scans after the write and the drift
 * the verification pass found. `lastSyncTime` is the only timestamp, set here.
 */
export function outcomeReport(ctx: ReportContext, outcome: GatewaySyncOutcome, endedAt: Date): GatewayReport {
  const result = outcome.result;
  const counts: Partial<GatewayReport> =
    result === null
      ? {}
      : {
          filesAdded: result.added.length,
          filesModified: result.modified.length,
          filesDeleted: result.deleted.length,
          driftCount: result.drift.length,
          ...(result.drift.length === 0
            ? {}
            : {
                driftPaths: result.drift.slice(0, MAX_DRIFT_PATHS).map((d) => truncate(d.path, MAX_PATH)),
              }),
        };
  const ended = {
    lastSyncTime: endedAt.toISOString(),
    lastSyncDurationMs: Math.max(0, Math.round(outcome.durationMs)),
    ...counts,
    ...(outcome.scans.length === 0 ? {} : { scans: [...outcome.scans] }),
  };
  if (outcome.error !== null) {
    return {
      ...baseOf(ctx),
      ...ended,
      syncStatus: GatewaySyncStatuses.Failed,
      ...errorFields(outcome.error),
    };
  }
  if (outcome.dryRun) {
    return {
      ...baseOf(ctx),
      ...ended,
      syncStatus: GatewaySyncStatuses.Held,
      reason: AgentReasons.DryRun,
    };
  }
  return {
    ...baseOf(ctx),
    ...ended,
    syncStatus: GatewaySyncStatuses.Synced,
    // Moving a gateway back is said in the report, not only in a log line.
    ...(outcome.movedToOlderCommit ? { reason: GatewaySyncReasons.MovedToOlderCommit } : {}),
  };
}

/** `ignition-sync.io/gateway-name` is set only when the name is a valid label value (≤ 63, alphanumeric ends). */
export function isLabelValue(value: string): boolean {
  return value.length <= 63 && /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value);
}

/**
 * The report ConfigMap: `<pod>.sync-status` in the pod's namespace, key `status.json`, labelled with the
 * IgnitionSync, its role and the gateway, owned by the Pod (garbage-collected with it). The owner reference
 * is not a controller reference and does not block the Pod's deletion.
 */
export function reportConfigMap(
  identity: AgentIdentity,
  report: GatewayReport,
  resourceVersion?: string,
): ConfigMap & { metadata: { name: string; namespace: string } } {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: gatewayReportName(identity.podName),
      namespace: identity.namespace,
      ...(resourceVersion === undefined ? {} : { resourceVersion }),
      labels: {
        [Labels.crName]: identity.crName,
        [ObjectRoleLabel]: ObjectRoles.gatewayReport,
        ...(isLabelValue(identity.gatewayName) ? { [Labels.gatewayName]: identity.gatewayName } : {}),
        [Labels.managedBy]: MANAGED_BY,
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: identity.podName,
          uid: identity.podUid,
          controller: false,
          blockOwnerDeletion: false,
        },
      ],
    },
    data: { [GATEWAY_REPORT_KEY]: reportText(report) },
  };
}

/**
 * The report as stored: validated against the contract and serialised in the schema's field order, so equal
 * reports have equal text (an identical report is never written twice). Throws on a report that breaks the
 * contract (a programming error).
 */
export function reportText(report: GatewayReport): string {
  return `${JSON.stringify(GatewayReport.parse(report))}\n`;
}

/** The report in a ConfigMap this agent wrote before (undefined when absent or unreadable). */
export function parseReportConfigMap(configMap: ConfigMap | undefined): GatewayReport | undefined {
  const text = configMap?.data?.[GATEWAY_REPORT_KEY];
  if (text === undefined) return undefined;
  try {
    const parsed = GatewayReport.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
