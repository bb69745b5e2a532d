import { sleep } from '../client/backoff.ts';
import { SCAN_KINDS, type ScanKind, type ScanLock, type ScanStatus } from '../gateway-types.ts';
import {
  type DataSnapshot,
  diffRecords,
  diffSnapshots,
  type SnapshotDiff,
  type SnapshotError,
} from './data-snapshot.ts';
import { type SnapshotCache, snapshotDataDir } from './snapshot-data-dir.ts';
import {
  CLOCK_SLACK_MS,
  collectWriteEvidence,
  type LockInterval,
  type WriteEvidence,
} from './write-evidence.ts';

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
  /** The filesystem state (path → hash) under the scanned root when the scan started (kept for the newest 20 scans). */
  filesAtStart: Readonly<Record<string, string>>;
  /** Temp/staging files present at scan start. */
  readonly tempFilesAtStart: readonly string[];
  /** Files written since the previous scan of this kind, oldest first, with the locks held at write time. */
  readonly writes: readonly WriteEvidence[];
  /** Files deleted since the previous scan of this kind. */
  readonly deleted: readonly string[];
  /** Writes (not the gateway's own) made while no lock of this kind was held. */
  readonly unlockedWrites: readonly string[];
  /** Files whose content changed between scan start and scan end: a write was in progress. */
  changedDuringScan: SnapshotDiff;
  /** A scan that saw a write in progress or a half-applied state (temp files). */
  torn: boolean;
  /** Resource-level diff against the previous snapshot of this kind. */
  diff?: SnapshotDiff;
  errors?: readonly SnapshotError[];
}

interface KindState {
  active: boolean;
  lastScanTimestamp: number;
  lastScanDuration: number;
  lock: LockInterval | undefined;
  snapshot: DataSnapshot | undefined;
}

export interface ScanEngineOptions {
  readonly dataDir: string;
  readonly now: () => number;
  readonly scanDurationMs: number;
  /** path → hash of files the simulated gateway wrote itself (not attributed to the sync). */
  readonly ownWrites: ReadonlyMap<string, string>;
  readonly onSnapshot?: (snapshot: DataSnapshot) => Promise<void>;
  readonly closed: AbortSignal;
}

export type LockAttempt = { readonly status: 200; readonly lock: ScanLock } | { readonly status: 408 | 409 };

const MAX_LOCK_HISTORY = 1_000;
/** Bounds that keep many long-running simulators (benchmarks) small: the log keeps the newest entries,
 * and only the newest few keep their full file listing. */
const MAX_SCAN_LOG = 1_000;
const KEEP_FILES_AT_START = 20;

/**
 * Asynchronous scans and scan locks of the simulated gateway. A POST joins a running scan; a scan releases
 * its kind's lock; a lock waits for a running scan and for other holders (408 after acquireTimeout); the
 * same actor asking again gets 409. Locks expire lazily (no timers). Write evidence comes from file
 * mtimes against the lock history, so an idle simulator watches nothing.
 */
export class ScanEngine {
  readonly log: ScanLogEntry[] = [];
  scanDurationMs: number;
  #stuck = false;
  #unstick: (() => void) | undefined;
  #generation = 0;
  #nextId = 1;
  readonly #o: ScanEngineOptions;
  readonly #cache: SnapshotCache = new Map();
  readonly #locks: LockInterval[] = [];
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
    if (k.lock !== undefined && k.lock.to <= now) k.lock = undefined;
    return k.lock === undefined
      ? undefined
      : { timestamp: k.lock.from, remaining: k.lock.to - now, actor: k.lock.actor };
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
    k.lock = { kind, actor, from: now, to: now + holdTimeoutS * 1000 };
    this.#locks.push(k.lock);
    if (this.#locks.length > MAX_LOCK_HISTORY) this.#locks.shift();
    return { status: 200, lock: { timestamp: now, remaining: holdTimeoutS * 1000, actor } };
  }

  releaseLock(kind: ScanKind): void {
    const k = this.#kinds[kind];
    if (k.lock !== undefined) k.lock.to = Math.min(k.lock.to, this.#o.now());
    k.lock = undefined;
  }

  /** Starts a scan (or joins the running one) and answers with the status body. */
  requestScan(kind: ScanKind, trigger: ScanTrigger): ScanStatus {
    const k = this.#kinds[kind];
    if (trigger === 'api') this.releaseLock(kind);
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

  #append(entry: ScanLogEntry): void {
    this.log.push(entry);
    if (this.log.length > MAX_SCAN_LOG) this.log.splice(0, this.log.length - MAX_SCAN_LOG);
    const old = this.log[this.log.length - 1 - KEEP_FILES_AT_START];
    if (old !== undefined && Object.keys(old.filesAtStart).length > 0) old.filesAtStart = {};
  }

  /** Files written since the last scan of each kind (what the next scan would load), with lock evidence. */
  async pendingWrites(): Promise<WriteEvidence[]> {
    const out: WriteEvidence[] = [];
    for (const kind of SCAN_KINDS) {
      const now = await snapshotDataDir(this.#o.dataDir, kind, this.#o.now(), this.#cache);
      const prior = this.#kinds[kind].snapshot?.files ?? {};
      out.push(...collectWriteEvidence(prior, now, this.#locks, this.#o.ownWrites).writes);
    }
    return out;
  }

  /** Restart: drop locks and running scans, reload both snapshots from disk. */
  async reload(): Promise<void> {
    this.#generation += 1;
    this.setStuck(false);
    for (const kind of SCAN_KINDS) {
      const k = this.#kinds[kind];
      k.active = false;
      this.releaseLock(kind);
      const snap = await snapshotDataDir(this.#o.dataDir, kind, this.#o.now(), this.#cache);
      k.snapshot = snap;
      await this.#o.onSnapshot?.(snap);
    }
  }

  async #run(kind: ScanKind, trigger: ScanTrigger, generation: number): Promise<void> {
    const k = this.#kinds[kind];
    const startedAt = this.#o.now();
    const locksAtStart = this.lockedKinds();
    const start = await snapshotDataDir(this.#o.dataDir, kind, startedAt, this.#cache);
    const evidence = collectWriteEvidence(k.snapshot?.files ?? {}, start, this.#locks, this.#o.ownWrites);
    const entry: ScanLogEntry = {
      id: this.#nextId++,
      kind,
      trigger,
      startedAt,
      locksAtStart,
      filesAtStart: start.files,
      tempFilesAtStart: start.tempFiles,
      writes: evidence.writes,
      deleted: evidence.deleted,
      unlockedWrites: evidence.writes
        .filter((w) => !w.byGateway && !w.lockedKinds.includes(kind))
        .map((w) => w.path),
      changedDuringScan: { added: [], modified: [], removed: [] },
      torn: false,
    };
    this.#append(entry);
    const remaining = this.scanDurationMs - (this.#o.now() - startedAt);
    if (remaining > 0) await sleep(remaining, this.#o.closed);
    while (this.#stuck) {
      await new Promise<void>((resolve) => {
        this.#unstick = resolve;
      });
    }
    const end = await snapshotDataDir(this.#o.dataDir, kind, this.#o.now(), this.#cache);
    if (generation !== this.#generation) return;
    const finishedAt = this.#o.now();
    const changed = diffRecords(start.files, end.files);
    // A write that landed after the scan began but before the start snapshot read it is still torn.
    const lateWrites = Object.entries(end.mtimes)
      .filter(([path, mtime]) => mtime > startedAt + CLOCK_SLACK_MS && !changed.modified.includes(path))
      .filter(([path]) => this.#o.ownWrites.get(path) !== end.files[path])
      .map(([path]) => path);
    entry.changedDuringScan = { ...changed, modified: [...changed.modified, ...lateWrites] };
    const c = entry.changedDuringScan;
    entry.torn =
      c.added.length + c.modified.length + c.removed.length > 0 || entry.tempFilesAtStart.length > 0;
    entry.diff = diffSnapshots(k.snapshot, end);
    entry.errors = end.errors;
    entry.finishedAt = finishedAt;
    entry.durationMs = finishedAt - startedAt;
    k.snapshot = end;
    k.lastScanTimestamp = startedAt;
    k.lastScanDuration = finishedAt - startedAt;
    await this.#o.onSnapshot?.(end);
    k.active = false;
  }
}
