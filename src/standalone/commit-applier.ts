import { join } from 'node:path';
import { type SyncEngine, SyncHistory, sharedChanges, syncGateway } from '../gateway-sync/index.ts';
import type { GitClient } from '../git/index.ts';
import type { Logger } from '../observability/index.ts';
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
        due.includes(g)
          ? this.#gate.run(() => this.#syncOne(g, target, changes, log))
          : this.#unchanged(g, ref, commit),
      ),
    );
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
    const mayStart = await this.#starts?.acquire(stop).then(
      () => true,
      () => false,
    );
    if (mayStart === false || stop.aborted) {
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
    const report = reportOf(gateway, ref, outcome);
    this.progress(gateway, report.status, ref, report);
    return report;
  }
}
