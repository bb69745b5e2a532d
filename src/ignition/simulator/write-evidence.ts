import { SCAN_KINDS, type ScanKind } from '../gateway-types.ts';
import { type DataSnapshot, diffRecords } from './data-snapshot.ts';

/** One holding of a scan lock: from acquisition until release (scan POST, expiry or control release). */
export interface LockInterval {
  readonly kind: ScanKind;
  readonly actor: string;
  readonly from: number;
  /** Release time; while held, the expiry time. */
  to: number;
}

/** A file found written (added or modified) since the previous scan of its kind. */
export interface WriteEvidence {
  readonly path: string;
  /** When it was written (its mtime, epoch ms). */
  readonly mtimeMs: number;
  /** Scan locks held when it was written. */
  readonly lockedKinds: readonly ScanKind[];
  /** Written by the simulated gateway itself (content equals what it wrote). */
  readonly byGateway: boolean;
}

/**
 * File timestamps come from the kernel's coarse clock (a few ms behind `Date.now()`): a write this close
 * to a lock boundary counts as inside it.
 */
export const CLOCK_SLACK_MS = 10;

/** Pure: the kinds whose lock was held at time `t`. */
export function lockedKindsAt(intervals: readonly LockInterval[], t: number): ScanKind[] {
  return SCAN_KINDS.filter((kind) =>
    intervals.some((i) => i.kind === kind && t >= i.from - CLOCK_SLACK_MS && t <= i.to + CLOCK_SLACK_MS),
  );
}

/**
 * Pure: which files changed between two snapshots of one kind, when (mtime) and under which locks. This
 * is how the simulator proves "locks taken before the first write" without watching the filesystem.
 */
export function collectWriteEvidence(
  before: Readonly<Record<string, string>>,
  after: DataSnapshot,
  intervals: readonly LockInterval[],
  ownWrites: ReadonlyMap<string, string>,
): { writes: WriteEvidence[]; deleted: string[] } {
  const diff = diffRecords(before, after.files);
  const writes = [...diff.added, ...diff.modified].map((path) => {
    const mtimeMs = after.mtimes[path] ?? 0;
    return {
      path,
      mtimeMs,
      lockedKinds: lockedKindsAt(intervals, mtimeMs),
      byGateway: ownWrites.get(path) === after.files[path],
    };
  });
  writes.sort((a, b) => a.mtimeMs - b.mtimeMs);
  return { writes, deleted: [...diff.removed] };
}
