import type { ErrorKind } from '../errors.ts';
import type { GatewaySyncError, GatewaySyncOutcome } from '../gateway-sync/index.ts';
import { GatewaySyncReasons } from '../reasons/index.ts';
import { type ReportedPaths, reportedPathsOf } from './reported-paths.ts';

/** The outcome of one gateway in one round; `run --once --output json` prints a projection of it. */
export interface GatewayReport {
  readonly name: string;
  readonly namespace: string;
  /** `namespace/name` of its IgnitionSync. */
  readonly sync: string;
  /** The ref asked for and the commit it resolved to (null when resolution failed). */
  readonly ref: string;
  readonly commit: string | null;
  readonly status: 'Synced' | 'Failed';
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
  /** Files changed on the gateway behind git's back, found (and corrected) by the verification pass. */
  readonly drift: number;
  /** Scans that ran after the write (`config`, `projects`). */
  readonly scans: readonly string[];
  readonly dryRun: boolean;
  /** This sync was the full re-sync after the gateway finished first-boot commissioning. */
  readonly afterCommissioning: boolean;
  readonly durationMs: number;
  /** Condition reason of a failure, and its kind (what happens next: a fix, a later retry, a backoff). */
  readonly reason: string | null;
  readonly kind: ErrorKind | null;
  readonly error: string | null;
  /** The ref was a webhook's pin, not `spec.git.ref` (shown as `REF (pinned)` in the table). */
  readonly pinned?: boolean;
  /** For a dry run, the paths it would change; for a sync that found drift, the drifted paths. */
  readonly paths?: ReportedPaths;
}

/** Who a report is about. */
export interface ReportSubject {
  readonly name: string;
  readonly namespace: string;
  readonly syncKey: string;
}

function blankReport(subject: ReportSubject, ref: string): GatewayReport {
  return {
    name: subject.name,
    namespace: subject.namespace,
    sync: subject.syncKey,
    ref,
    commit: null,
    status: 'Synced',
    added: 0,
    modified: 0,
    deleted: 0,
    drift: 0,
    scans: [],
    dryRun: false,
    afterCommissioning: false,
    durationMs: 0,
    reason: null,
    kind: null,
    error: null,
  };
}

/** The report of a gateway that was not synced because its round failed first (resolution, shutdown). */
export function failedReport(subject: ReportSubject, ref: string, error: GatewaySyncError): GatewayReport {
  return {
    ...blankReport(subject, ref),
    status: 'Failed',
    reason: error.reason,
    kind: error.kind,
    error: error.message,
  };
}

/** The report of a gateway already at the resolved commit: nothing to do. */
export function unchangedReport(subject: ReportSubject, ref: string, commit: string): GatewayReport {
  return { ...blankReport(subject, ref), commit };
}

/** The report of a gateway sync, keeping its reason, kind and commissioning state. */
export function reportOf(subject: ReportSubject, ref: string, outcome: GatewaySyncOutcome): GatewayReport {
  const result = outcome.result;
  return {
    ...blankReport(subject, ref),
    commit: outcome.commit,
    status: outcome.status,
    added: result?.added.length ?? 0,
    modified: result?.modified.length ?? 0,
    deleted: result?.deleted.length ?? 0,
    drift: result?.drift.length ?? 0,
    scans: outcome.scans,
    dryRun: outcome.dryRun,
    afterCommissioning: outcome.afterCommissioning,
    durationMs: outcome.durationMs,
    // A sync that moved the gateway back says so in the report, not only in a log line.
    reason:
      outcome.error?.reason ?? (outcome.movedToOlderCommit ? GatewaySyncReasons.MovedToOlderCommit : null),
    kind: outcome.error?.kind ?? null,
    error: outcome.error?.message ?? null,
    ...withPaths(reportedPathsOf(result)),
  };
}

function withPaths(paths: ReportedPaths | undefined): { paths?: ReportedPaths } {
  return paths === undefined ? {} : { paths };
}

/** The `--output json` shape other tools parse: exactly these keys, in this order. */
export interface OnceJsonGateway {
  readonly name: string;
  readonly commit: string | null;
  readonly status: 'Synced' | 'Failed';
  readonly added: number;
  readonly modified: number;
  readonly deleted: number;
  readonly error: string | null;
  /** Only for dry runs and drift: which paths (see ReportedPaths). */
  readonly paths?: ReportedPaths;
}

export function toOnceJson(reports: readonly GatewayReport[]): { gateways: OnceJsonGateway[] } {
  return {
    gateways: reports.map((r) => ({
      name: r.name,
      commit: r.commit,
      status: r.status,
      added: r.added,
      modified: r.modified,
      deleted: r.deleted,
      error: r.error,
      ...withPaths(r.paths),
    })),
  };
}
