import { sleep } from '../client/backoff.ts';
import { SCAN_KINDS, type ScanKind, type ScanLock, type ScanStatus } from '../gateway-types.ts';
import {
  type DataSnapshot,
  diffRecords,
  diffSnapshots,
  type SnapshotDiff,
  type SnapshotError,
} from './data-snapshot.ts';
import { SCAN_ROOTS, snapshotDataDir } from './snapshot-data-dir.ts';
import type { WriteMonitor } from './write-monitor.ts';

export type ScanTrigger = 'api' | 'periodic' | 'restart';

/** One scan as the control port reports it. */
export interface ScanLogEntry {
  readonly id: number;
  readonly kind: ScanKind;
  readonly trigger: ScanTrigger;
  readonly startedAt: number;
  finishedAt?: number;
  durationMs?: number;
  /** Scan locks held (by anyone) when the scan started. */
  readonly locksAtStart: readonly ScanKind[];
  /** The filesystem state (path → hash) under the scanned root when the scan started. */
  readonly filesAtStart: Readonly<Record<string, string>>;
  /** Temp/staging files present at scan start. */
  readonly tempFilesAtStart: readonly string[];
  /** Files whose content differed between scan start and scan end: a write was in progress. */
  changedDuringScan: SnapshotDiff;
  /** Writes (not the gateway's own) seen under the root while the scan ran. */
  writesDuringScan: string[];
  /** Writes seen since the previous scan of this kind while no lock of this kind was held. */
  readonly unlockedWrites: readonly string[];
  /** A scan that saw a write in progress or a half-applied state. */
  torn: boolean;
  /** Resource-level diff against the previous snapshot of this kind. */
  diff?: SnapshotDiff;
  errors?: readonly SnapshotError[];
}

interface LockState {
  readonly actor: string;
  readonly timestamp: number;
  readonly expiresAt: number;
}

interface KindState {
  active: boolean;
  lastScanTimestamp: number;
  lastScanDuration: number;
  lock: LockState | undefined;
  snapshot: DataSnapshot | undefined;
  lastScanEnd: number;
}

export interface ScanEngineOptions {
  readonly dataDir: string;
  readonly now: () => number;
  readonly monitor: WriteMonitor | undefined;
  readonly scanDurationMs: number;
  /** Writes seen within this many ms after scan start are attributed to before it (fs event latency). */
  readonly writeGraceMs?: number;
  readonly onSnapshot?: (snapshot: DataSnapshot) => Promise<void>;
  readonly closed: AbortSignal;
}

export type LockAttempt = { readonly status: 200; readonly lock: ScanLock } | { readonly status: 408 | 409 };

/**
 * Asynchronous scans and scan locks of the simulated gateway. A POST joins a running scan; a scan releases
 * its kind's lock; a lock waits for a running scan and for other holders (408 after acquireTimeout); the
 * same actor asking again gets 409. Locks expire lazily (no timers).
 */
export class ScanEngine {
  readonly log: ScanLogEntry[] = [];
  scanDurationMs: number;
  #stuck = false;
  #unstick: (() => void) | undefined;
  #generation = 0;
  #nextId = 1;
  readonly #o: ScanEngineOptions;
  readonly #kinds: Record<ScanKind, KindState>;

  constructor(options: ScanEngineOptions) {
    this.#o = options;
    this.scanDurationMs = options.scanDurationMs;
    const init = (): KindState => ({
      active: false,
      lastScanTimestamp: 0,
      lastScanDuration: 0,
      lock: undefined,
      snapshot: undefined,
      lastScanEnd: 0,
    });
    this.#kinds = { config: init(), projects: init() };
  }

  status(kind: ScanKind): ScanStatus {
    const k = this.#kinds[kind];
    return {
      scanActive: k.active,
      lastScanTimestamp: k.lastScanTimestamp,
      lastScanDuration: k.lastScanDuration,
    };
  }

  snapshot(kind: ScanKind): DataSnapshot | undefined {
    return this.#kinds[kind].snapshot;
  }

  /** Stuck scans stay `scanActive:true` until unstuck. */
  setStuck(stuck: boolean): void {
    this.#stuck = stuck;
    if (!stuck) {
      this.#unstick?.();
      this.#unstick = undefined;
    }
  }

  lockedKinds(): ScanKind[] {
    return SCAN_KINDS.filter((k) => this.getLock(k) !== undefined);
  }

  getLock(kind: ScanKind): ScanLock | undefined {
    const k = this.#kinds[kind];
    const now = this.#o.now();
    if (k.lock !== undefined && k.lock.expiresAt <= now) k.lock = undefined;
    return k.lock === undefined
      ? undefined
      : { timestamp: k.lock.timestamp, remaining: k.lock.expiresAt - now, actor: k.lock.actor };
  }

  async acquireLock(
    kind: ScanKind,
    actor: string,
    acquireTimeoutS: number,
    holdTimeoutS: number,
  ): Promise<LockAttempt> {
    const k = this.#kinds[kind];
    const deadline = this.#o.now() + acquireTimeoutS * 1000;
    if (this.getLock(kind)?.actor === actor) return { status: 409 };
    while (this.getLock(kind) !== undefined || k.active) {
      if (this.#o.now() >= deadline) return { status: 408 };
      await sleep(Math.min(20, Math.max(1, deadline - this.#o.now())), this.#o.closed);
    }
    const now = this.#o.now();
    k.lock = { actor, timestamp: now, expiresAt: now + holdTimeoutS * 1000 };
    return { status: 200, lock: { timestamp: now, remaining: holdTimeoutS * 1000, actor } };
  }

  releaseLock(kind: ScanKind): void {
    this.#kinds[kind].lock = undefined;
  }

  /** Starts a scan (or joins the running one) and answers with the status body. */
  requestScan(kind: ScanKind, trigger: ScanTrigger): ScanStatus {
    const k = this.#kinds[kind];
    if (trigger === 'api') k.lock = undefined;
    if (!k.active) {
      k.active = true;
      const generation = this.#generation;
      this.#run(kind, trigger, generation).catch(() => {
        // Closed or reset mid-scan: the scan is abandoned, as a gateway shutdown would abandon it.
        if (generation === this.#generation) k.active = false;
      });
    }
    return this.status(kind);
  }

  /** Restart: drop locks and running scans, reload both snapshots from disk (logged as `restart` scans). */
  async reload(): Promise<void> {
    this.#generation += 1;
    this.setStuck(false);
    for (const kind of SCAN_KINDS) {
      const k = this.#kinds[kind];
      k.active = false;
      k.lock = undefined;
      const snap = await snapshotDataDir(this.#o.dataDir, kind, this.#o.now());
      k.snapshot = snap;
      k.lastScanEnd = this.#o.now();
      await this.#o.onSnapshot?.(snap);
    }
  }

  async #run(kind: ScanKind, trigger: ScanTrigger, generation: number): Promise<void> {
    const k = this.#kinds[kind];
    const startedAt = this.#o.now();
    const root = `${SCAN_ROOTS[kind]}/`;
    const unlockedWrites = (this.#o.monitor?.events(k.lastScanEnd) ?? [])
      .filter((e) => e.time <= startedAt && !e.byGateway && e.path.startsWith(root))
      .filter((e) => !e.lockedKinds.includes(kind))
      .map((e) => e.path);
    const start = await snapshotDataDir(this.#o.dataDir, kind, startedAt);
    const entry: ScanLogEntry = {
      id: this.#nextId++,
      kind,
      trigger,
      startedAt,
      locksAtStart: this.lockedKinds(),
      filesAtStart: start.files,
      tempFilesAtStart: start.tempFiles,
      changedDuringScan: { added: [], modified: [], removed: [] },
      writesDuringScan: [],
      unlockedWrites: [...new Set(unlockedWrites)],
      torn: false,
    };
    this.log.push(entry);
    const remaining = this.scanDurationMs - (this.#o.now() - startedAt);
    if (remaining > 0) await sleep(remaining, this.#o.closed);
    while (this.#stuck) {
      await new Promise<void>((resolve) => {
        this.#unstick = resolve;
      });
    }
    const end = await snapshotDataDir(this.#o.dataDir, kind, this.#o.now());
    if (generation !== this.#generation) return;
    const finishedAt = this.#o.now();
    const grace = this.#o.writeGraceMs ?? 25;
    entry.changedDuringScan = diffRecords(start.files, end.files);
    entry.writesDuringScan = [
      ...new Set(
        (this.#o.monitor?.events(startedAt + grace) ?? [])
          .filter((e) => e.time <= finishedAt && !e.byGateway && e.path.startsWith(root))
          .map((e) => e.path),
      ),
    ];
    const c = entry.changedDuringScan;
    entry.torn =
      c.added.length + c.modified.length + c.removed.length > 0 ||
      entry.writesDuringScan.length > 0 ||
      entry.tempFilesAtStart.length > 0;
    entry.diff = diffSnapshots(k.snapshot, end);
    entry.errors = end.errors;
    entry.finishedAt = finishedAt;
    entry.durationMs = finishedAt - startedAt;
    k.snapshot = end;
    k.lastScanTimestamp = startedAt;
    k.lastScanDuration = finishedAt - startedAt;
    k.lastScanEnd = finishedAt;
    await this.#o.onSnapshot?.(end);
    k.active = false;
  }
}
