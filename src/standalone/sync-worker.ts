import { toOperatorError } from '../errors.ts';
import type { SyncEngine } from '../gateway-sync/index.ts';
import type { GitClient } from '../git/index.ts';
import type { IgnitionSyncMetrics, Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { CommitApplier, type GatewayProgress } from './commit-applier.ts';
import { failedReport, type GatewayReport } from './gateway-report.ts';
import { RefResolver } from './ref-resolver.ts';
import type { RequestedRef, RequestedRefStore } from './requested-ref-store.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { StandaloneSync } from './standalone-config.ts';

export type { GatewayProgress } from './commit-applier.ts';

export interface SyncWorkerOptions {
  readonly git: GitClient;
  readonly secrets: SecretsDir;
  readonly requestedRefs: RequestedRefStore;
  /** Shared checkouts live under `<stateDir>/checkouts/<namespace>.<name>`. */
  readonly stateDir: string;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** Shutdown began: start no new round and no new gateway sync. */
  readonly stopSignal: AbortSignal;
  /** Aborts what is in flight (fired a grace period after stopSignal); the engine finishes its file op. */
  readonly signal: AbortSignal;
  readonly onProgress?: (progress: GatewayProgress) => void;
  /**
   * How often a gateway at the current commit still gets a full verification pass that reports (and
   * corrects) drift: files changed on the gateway behind git's back. Default 10 minutes.
   */
  readonly verifyIntervalMs?: number;
  readonly now?: () => number;
  /** The sync engine (tests count its plans). */
  readonly engine?: SyncEngine;
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

export interface Trigger {
  /** Why: shown in logs. */
  readonly cause: 'start' | 'poll' | 'webhook' | 'once';
  /** A ref requested by a webhook; it becomes the effective ref (and is persisted): the pin. */
  readonly requestedRef?: RequestedRef;
  /** A webhook asked for `spec.git.ref` itself: drop the pin. */
  readonly clearRequestedRef?: boolean;
}

function withPinned(p: GatewayProgress): GatewayProgress {
  return { ...p, pinned: true, ...(p.report === undefined ? {} : { report: { ...p.report, pinned: true } }) };
}

/**
 * Drives the gateways of one IgnitionSync in rounds. A round is the resolve half (`RefResolver`: the effective
 * ref → a commit, once for every gateway) followed by the apply half (`CommitApplier`: that commit → each
 * gateway not already there). Rounds never overlap; triggers arriving during a round are coalesced into one
 * follow-up round (latest request wins).
 */
export class SyncWorker {
  readonly sync: StandaloneSync;
  readonly #options: SyncWorkerOptions;
  readonly #log: Logger;
  readonly #resolver: RefResolver;
  readonly #applier: CommitApplier;
  #queued: Promise<GatewayReport[]> | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(sync: StandaloneSync, options: SyncWorkerOptions) {
    this.sync = sync;
    this.#options = options;
    this.#log = options.logger.child({ sync: sync.key });
    this.#resolver = new RefResolver(sync, { ...options, logger: this.#log });
    const onProgress = options.onProgress;
    this.#applier = new CommitApplier(sync, {
      ...options,
      logger: this.#log,
      // The table says when the ref shown is a pin, not spec.git.ref.
      onProgress:
        onProgress === undefined ? undefined : (p) => onProgress(this.#isPinned(p.ref) ? withPinned(p) : p),
    });
  }

  /** The ref rounds resolve: a persisted webhook request, else `spec.git.ref`. */
  get effectiveRef(): string {
    return this.#resolver.effectiveRef;
  }

  /** The pin this IgnitionSync follows instead of `spec.git.ref`, once loaded. */
  get pin(): RequestedRef | undefined {
    return this.#resolver.pin;
  }

  #isPinned(ref: string): boolean {
    const pin = this.#resolver.pin;
    return pin !== undefined && pin.ref === ref;
  }

  /** A round is queued and not started yet (`ignition_sync_work_queue_depth{queue="rounds"}`). */
  get hasPendingRound(): boolean {
    return this.#queued !== undefined;
  }

  /** Gateway syncs of the running round waiting for a rate limit. */
  get waitingGatewaySyncs(): number {
    return this.#applier.waiting;
  }

  /** Loads the persisted webhook request (once). */
  async load(): Promise<void> {
    await this.#resolver.prepare();
  }

  /**
   * Runs a round for `trigger`. Rounds run one after another; a trigger arriving while a round runs joins
   * the one queued behind it (so a burst of webhooks costs one extra round, and the latest request wins).
   */
  trigger(trigger: Trigger): Promise<GatewayReport[]> {
    if (trigger.requestedRef !== undefined) this.#resolver.request(trigger.requestedRef);
    else if (trigger.clearRequestedRef === true) this.#resolver.clearRequest();
    if (this.#queued === undefined) {
      const queued = this.#chain.then(() => {
        this.#queued = undefined;
        return this.#round(trigger.cause);
      });
      this.#queued = queued;
      this.#chain = queued.then(
        () => {},
        () => {},
      );
    }
    return this.#queued;
  }

  /** Resolves once no round is running or queued. */
  async idle(): Promise<void> {
    let seen: Promise<void> | undefined;
    while (seen !== this.#chain) {
      seen = this.#chain;
      await seen;
    }
  }

  async #round(cause: Trigger['cause']): Promise<GatewayReport[]> {
    await this.#resolver.prepare();
    if (this.#options.stopSignal.aborted) return [];
    const ref = this.effectiveRef;
    const gateways = this.sync.gateways.filter((g) => !g.paused);
    if (this.sync.spec.paused || gateways.length === 0) {
      this.#log.info({ paused: this.sync.spec.paused, gateways: gateways.length }, 'round skipped');
      return [];
    }
    const log = this.#log.child({ ref, cause });
    for (const g of gateways) this.#applier.progress(g, 'Resolving', ref);
    try {
      const reports = await this.#applier.apply(await this.#resolver.resolve(), gateways, log);
      return this.#isPinned(ref) ? reports.map((r) => ({ ...r, pinned: true })) : reports;
    } catch (e: unknown) {
      const err = toOperatorError(e, StandaloneReasons.SyncFailed);
      log.error({ err, reason: err.reason }, 'round failed before syncing gateways');
      return gateways.map((g) => {
        this.#options.metrics?.countFailedSync(this.sync, err.reason);
        const report = failedReport(g, ref, { reason: err.reason, kind: err.kind, message: err.message });
        this.#applier.progress(g, 'Failed', ref, report);
        return report;
      });
    }
  }
}
