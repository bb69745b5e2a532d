import { join } from 'node:path';
import {
  type GatewaySyncOutcome,
  type SyncEngine,
  SyncHistory,
  sharedChanges,
  syncGateway,
} from '../gateway-sync/index.ts';
import type { GitClient } from '../git/index.ts';
import { CommitLagTracker, type IgnitionSyncMetrics, type Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';
import { failedReport, type GatewayReport, reportOf, unchangedReport } from './gateway-report.ts';
import { gatewayTargetOf } from './gateway-target-of.ts';
import type { ResolvedTarget } from './ref-resolver.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { StandaloneGateway, StandaloneSync } from './standalone-config.ts';
import { StartRateLimiter } from './start-rate-limiter.ts';

/** Live progress of one gateway, for the status table and logs. */
export interface GatewayProgress {
  readonly gateway: string;
  readonly sync: string;
  readonly state: 'Resolving' | 'Queued' | 'Syncing' | 'Synced' | 'Failed';
  readonly ref: string;
  /** The ref is a webhook's pin, not `spec.git.ref` (src/webhooks/README.md, "The pin rule"). */
  readonly pinned?: boolean;
  readonly report?: GatewayReport;
}

export interface CommitApplierOptions {
  readonly git: GitClient;
  readonly secrets: SecretsDir;
  /** The shared checkout lives under `<stateDir>/checkouts/<namespace>.<name>`. */
  readonly stateDir: string;
  readonly dryRun: boolean;
  readonly logger: Logger;
  /** Shutdown began: start no new gateway sync. */
  readonly stopSignal: AbortSignal;
  /** Aborts what is in flight; the engine finishes its file operation. */
  readonly signal: AbortSignal;
  readonly onProgress?: ((progress: GatewayProgress) => void) | undefined;
  readonly verifyIntervalMs?: number | undefined;
  readonly now?: (() => number) | undefined;
  /** The sync engine (tests count its plans). */
  readonly engine?: SyncEngine | undefined;
  /** Sync durations and results, commit lag, gateways behind, rate-limit waits. */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

/**
 * The apply half of a round (each agent's job in Kubernetes): brings the gateways of one IgnitionSync to a
 * resolved commit. Fetches the commit once into a checkout shared by them, skips the gateways already there
 * (unless a verification pass is due), and syncs the rest with the per-gateway sync, at most
 * `maxConcurrentSyncs` at a time and `maxSyncsPerMinute` starts per minute (FIFO).
 */
export class CommitApplier {
  readonly #sync: StandaloneSync;
  readonly #options: CommitApplierOptions;
  readonly #gate: ConcurrencyGate;
  readonly #starts: StartRateLimiter | undefined;
  readonly #history: SyncHistory;
  readonly #checkoutDir: string;
  readonly #lag = new CommitLagTracker();
  /** Where each gateway's data dir is, as far as this process knows (for `gateways_behind`). */
  readonly #positions = new Map<string, string>();
  #desiredCommit: string | undefined;
  /** Gateway syncs due but not started: waiting for a concurrency slot or a start token. */
  #waiting = 0;

  constructor(sync: StandaloneSync, options: CommitApplierOptions) {
    this.#sync = sync;
    this.#options = options;
    const rateLimit = sync.spec.rateLimit;
    this.#gate = new ConcurrencyGate(
      rateLimit?.maxConcurrentSyncs ?? Math.max(1, Math.ceil(sync.gateways.length / 2)),
    );
    const perMinute = rateLimit?.maxSyncsPerMinute;
    this.#starts =
      perMinute === undefined ? undefined : new StartRateLimiter({ perMinute, burst: rateLimit?.burstLimit });
    this.#history = new SyncHistory({ verifyIntervalMs: options.verifyIntervalMs, now: options.now });
    this.#checkoutDir = join(options.stateDir, 'checkouts', `${sync.namespace}.${sync.name}`);
  }

  /** Gateway syncs of this IgnitionSync waiting for a rate limit (`ignition_sync_work_queue_depth`). */
  get waiting(): number {
    return this.#waiting;
  }

  /** `commit` is what the gateways should be at from now (a no-op for the commit already desired). */
  #noteDesired(commit: string, atCommit: readonly StandaloneGateway[]): void {
    this.#desiredCommit = commit;
    for (const g of atCommit) this.#positions.set(g.name, commit);
    this.#lag.noteDesired(
      this.#sync.key,
      commit,
      (this.#options.now ?? Date.now)(),
      atCommit.map((g) => ({ id: g.name, commit })),
    );
    this.#publishBehind();
  }

  #publishBehind(): void {
    const desired = this.#desiredCommit;
    if (desired === undefined) return;
    const behind = this.#sync.gateways.filter((g) => this.#positions.get(g.name) !== desired).length;
    this.#options.metrics?.setGatewaysBehind(this.#labels, behind);
  }

  get #labels() {
    return { namespace: this.#sync.namespace, name: this.#sync.name };
  }

  #recordOutcome(outcome: GatewaySyncOutcome): void {
    const metrics = this.#options.metrics;
    const reason = outcome.error?.reason ?? (outcome.dryRun ? 'DryRun' : 'Synced');
    metrics?.observeGatewaySync({
      ...this.#labels,
      result: outcome.status,
      reason,
      seconds: outcome.durationMs / 1000,
    });
    if (outcome.status !== 'Synced' || outcome.dryRun) return;
    this.#positions.set(outcome.gateway, outcome.commit);
    if (outcome.previousCommit === outcome.commit)
      this.#lag.markPresent(this.#sync.key, outcome.gateway, outcome.commit);
    const now = (this.#options.now ?? Date.now)();
    const lags = this.#lag.arrivals(this.#sync.key, [{ id: outcome.gateway, commit: outcome.commit }], now);
    for (const seconds of lags) metrics?.observeCommitLag(this.#labels, seconds);
    this.#publishBehind();
  }

  progress(
    gateway: StandaloneGateway,
    state: GatewayProgress['state'],
    ref: string,
    report?: GatewayReport,
  ): void {
    this.#options.onProgress?.({
      gateway: gateway.name,
      sync: this.#sync.key,
      state,
      ref,
      ...(report === undefined ? {} : { report }),
    });
  }

  async apply(
    target: ResolvedTarget,
    gateways: readonly StandaloneGateway[],
    log: Logger,
  ): Promise<GatewayReport[]> {
    const { ref, commit } = target;
    const due = gateways.filter((g) => this.#history.isDue(g.name, commit));
    this.#noteDesired(
      commit,
      gateways.filter((g) => !due.includes(g)),
    );
    if (due.length === 0) {
      log.debug({ commit }, 'all gateways at the resolved commit');
      return gateways.map((g) => this.#unchanged(g, ref, commit));
    }
    const git = this.#options.git;
    const repo = this.#sync.spec.git.repo;
    await git.fetchCommit({
      repo,
      commit,
      ref: target.refName,
      auth: target.auth,
      dir: this.#checkoutDir,
      signal: this.#options.signal,
    });
    log.info({ commit, gateways: due.map((g) => g.name) }, 'syncing gateways');
    for (const g of due) this.progress(g, 'Queued', ref);
    const changes = sharedChanges((from, to) =>
      git.diff({ dir: this.#checkoutDir, from, to, repo, auth: target.auth, signal: this.#options.signal }),
    );
    return Promise.all(
      gateways.map((g) =>
        due.includes(g) ? this.#queueOne(g, target, changes, log) : this.#unchanged(g, ref, commit),
      ),
    );
  }

  /** Waits for a concurrency slot (FIFO), then syncs; both rate limits are measured. */
  #queueOne(
    gateway: StandaloneGateway,
    target: ResolvedTarget,
    changes: ReturnType<typeof sharedChanges>,
    log: Logger,
  ): Promise<GatewayReport> {
    this.#waiting += 1;
    const queuedAt = performance.now();
    return this.#gate.run(
      () => this.#syncOne(gateway, target, changes, log),
      (queued) =>
        this.#options.metrics?.observeRateLimit(
          'concurrency',
          queued ? (performance.now() - queuedAt) / 1000 : 0,
        ),
    );
  }

  async #mayStart(stop: AbortSignal): Promise<boolean> {
    try {
      if (this.#starts === undefined) return true;
      const waitedMs = await this.#starts.acquire(stop);
      this.#options.metrics?.observeRateLimit('start_rate', waitedMs / 1000);
      return true;
    } catch {
      return false;
    } finally {
      this.#waiting -= 1;
    }
  }

  #unchanged(gateway: StandaloneGateway, ref: string, commit: string): GatewayReport {
    const report = unchangedReport(gateway, ref, commit);
    this.progress(gateway, 'Synced', ref, report);
    return report;
  }

  async #syncOne(
    gateway: StandaloneGateway,
    target: ResolvedTarget,
    changes: ReturnType<typeof sharedChanges>,
    log: Logger,
  ): Promise<GatewayReport> {
    const { ref, commit } = target;
    const stop = this.#options.stopSignal;
    const mayStart = await this.#mayStart(stop);
    if (!mayStart || stop.aborted) {
      const skipped = failedReport(gateway, ref, {
        reason: StandaloneReasons.ShuttingDown,
        kind: 'transient',
        message: 'not synced: shutting down',
      });
      this.progress(gateway, 'Failed', ref, skipped);
      return skipped;
    }
    this.progress(gateway, 'Syncing', ref);
    const outcome = await syncGateway({
      target: gatewayTargetOf(gateway, this.#sync.spec.excludePatterns, this.#options.secrets),
      commit,
      checkoutDir: this.#checkoutDir,
      changes,
      isOlder: (candidate, than) =>
        this.#options.git.isOlder({
          dir: this.#checkoutDir,
          candidate,
          than,
          repo: this.#sync.spec.git.repo,
          auth: target.auth,
          signal: this.#options.signal,
        }),
      verify: this.#history.isVerifyDue(gateway.name),
      dryRun: this.#options.dryRun || gateway.dryRun,
      afterCommissioning: this.#history.isAfterCommissioning(gateway.name),
      logger: log,
      signal: this.#options.signal,
      engine: this.#options.engine,
    });
    this.#history.record(outcome);
    this.#recordOutcome(outcome);
    const report = reportOf(gateway, ref, outcome);
    this.progress(gateway, report.status, ref, report);
    return report;
  }
}
