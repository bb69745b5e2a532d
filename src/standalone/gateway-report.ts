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
  readonly durationMs: number;
  readonly reason: string | null;
  readonly error: string | null;
}

/** Who a report is about. */
export interface ReportSubject {
  readonly name: string;
  readonly namespace: string;
  readonly syncKey: string;
}

/** A Failed report with no changes (resolution failed, shutdown, ...); callers override fields. */
export function failedReport(
  subject: ReportSubject,
  ref: string,
  reason: string | null,
  error: string | null,
): GatewayReport {
  return {
    name: subject.name,
    namespace: subject.namespace,
    sync: subject.syncKey,
    ref,
    commit: null,
    status: 'Failed',
    added: 0,
    modified: 0,
    deleted: 0,
    drift: 0,
    scans: [],
    dryRun: false,
    durationMs: 0,
    reason,
    error,
  };
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
    })),
  };
}
