import type { ErrorKind } from '../errors.ts';
import type { ScanKind } from '../ignition/index.ts';
import type { SyncResult } from '../sync/index.ts';

/** Why a sync failed, as status conditions and reports carry it. */
export interface GatewaySyncError {
  /** CamelCase condition reason (`GitAuthFailed`, `ScanTimeout`, `DataDirMissing`, ...). */
  readonly reason: string;
  /** What the caller does next: `stalling` waits for a fix, `waiting` retries at its interval, `transient` backs off. */
  readonly kind: ErrorKind;
  readonly message: string;
}

/** What syncing one gateway to one commit did. */
export interface GatewaySyncOutcome {
  readonly gateway: string;
  readonly commit: string;
  readonly status: 'Synced' | 'Failed';
  /** The commit the data dir was fully synced to before this sync; null when never synced or unknown. */
  readonly previousCommit: string | null;
  /** The engine's result (what was, or for a dry run would be, written); null when it failed before that. */
  readonly result: SyncResult | null;
  /** Scans that ran after the write, config before projects. */
  readonly scans: readonly ScanKind[];
  readonly dryRun: boolean;
  /** Every managed file was compared by hash (first sync, drift check, or after commissioning). */
  readonly verified: boolean;
  /** This sync was the re-sync after the gateway finished first-boot commissioning. */
  readonly afterCommissioning: boolean;
  /** The commit is older than the one the data dir had: the sync moved the gateway back (said, not silent). */
  readonly movedToOlderCommit: boolean;
  /** The gateway is still commissioning: its next sync must be the post-commissioning re-sync. */
  readonly awaitingCommissioning: boolean;
  readonly durationMs: number;
  readonly error: GatewaySyncError | null;
}
