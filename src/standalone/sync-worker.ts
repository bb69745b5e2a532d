import { join } from 'node:path';
import { toOperatorError } from '../errors.ts';
import type { Change, GitClient } from '../git/index.ts';
import type { Logger } from '../observability/index.ts';
import { StandaloneReasons } from '../reasons/index.ts';
import { ConcurrencyGate } from './concurrency-gate.ts';
import { failedReport, type GatewayReport } from './gateway-report.ts';
import { gitAuthFromSpec } from './git-auth-from-spec.ts';
import type { RequestedRef, RequestedRefStore } from './requested-ref-store.ts';
import type { SecretsDir } from './secrets-dir.ts';
import type { StandaloneGateway, StandaloneSync } from './standalone-config.ts';
import { StartRateLimiter } from './start-rate-limiter.ts';
import { syncGateway } from './sync-gateway.ts';

/** Live progress of one gateway, for the status table and logs. */
export interface GatewayProgress {
  readonly gateway: string;
  readonly sync: string;
  readonly state: 'Resolving' | 'Queued' | 'Syncing' | 'Synced' | 'Failed';
  readonly ref: string;
  readonly report?: GatewayReport;
}

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
}

export const DEFAULT_VERIFY_INTERVAL_MS = 10 * 60_000;

/** What one gateway sync of a round shares with the others. */
interface RoundTarget {
  readonly ref: string;
  readonly commit: string;
  readonly auth: ReturnType<typeof gitAuthFromSpec>;
  readonly diffCache: Map<string, Promise<readonly Change[]>>;
}

export interface Trigger {
  /** Why: shown in logs. */
  readonly cause: 'start' | 'poll' | 'webhook' | 'once';
  /** A ref requested by a webhook; it becomes the effective ref (and is persisted). */
  readonly requestedRef?: RequestedRef;
}

/**
 * Drives the gateways of one IgnitionSync. A round resolves the effective ref once (shared by every
 * gateway: one `ls-remote` per trigger, not one per gateway), fetches the commit once into a shared
 * checkout, then syncs the gateways that are not at that commit, at most `maxConcurrentSyncs` at a time.
 * Triggers arriving during a round are coalesced into one follow-up round (latest request wins).
 */
export class SyncWorker {
  readonly sync: StandaloneSync;
  readonly #options: SyncWorkerOptions;
  readonly #gate: ConcurrencyGate;
  readonly #starts: StartRateLimiter | undefined;
  readonly #log: Logger;
  readonly #checkoutDir: string;
  /** Gateways whose last round succeeded at this commit (skipped until the commit changes). */
  readonly #syncedAt = new Map<string, string>();
  /** When each gateway last had a full verification pass (drift detection). */
  readonly #verifiedAt = new Map<string, number>();
  #requested: RequestedRef | undefined;
  #isLoaded = false;
  #nextRequest: RequestedRef | undefined;
  #queued: Promise<GatewayReport[]> | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(sync: StandaloneSync, options: SyncWorkerOptions) {
    this.sync = sync;
    this.#options = options;
    const limit = sync.spec.rateLimit?.maxConcurrentSyncs ?? Math.max(1, Math.ceil(sync.gateways.length / 2));
    this.#gate = new ConcurrencyGate(limit);
    const perMinute = sync.spec.rateLimit?.maxSyncsPerMinute;
    this.#starts =
      perMinute === undefined
        ? undefined
        : new StartRateLimiter({ perMinute, burst: sync.spec.rateLimit?.burstLimit });
    this.#log = options.logger.child({ sync: sync.key });
    this.#checkoutDir = join(options.stateDir, 'checkouts', `${sync.namespace}.${sync.name}`);
  }

  /** The ref rounds resolve: a persisted webhook request, else `spec.git.ref`. */
  get effectiveRef(): string {
    return this.#requested?.ref ?? this.sync.spec.git.ref;
  }

  /** Loads the persisted webhook request (once). */
  async load(): Promise<void> {
    if (this.#isLoaded) return;
    this.#requested = await this.#options.requestedRefs.load(
      this.sync.namespace,
      this.sync.name,
      this.sync.spec.git.ref,
    );
    this.#isLoaded = true;
  }

  /**
   * Runs a round for `trigger`. Rounds run one after another; a trigger arriving while a round runs joins
   * the one queued behind it (so a burst of webhooks costs one extra round, and the latest request wins).
   */
  trigger(trigger: Trigger): Promise<GatewayReport[]> {
    if (trigger.requestedRef !== undefined) this.#nextRequest = trigger.requestedRef;
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

  #progress(
    gateway: StandaloneGateway,
    state: GatewayProgress['state'],
    ref: string,
    report?: GatewayReport,
  ): void {
    this.#options.onProgress?.({
      gateway: gateway.name,
      sync: this.sync.key,
      state,
      ref,
      ...(report === undefined ? {} : { report }),
    });
  }

  async #round(cause: Trigger['cause']): Promise<GatewayReport[]> {
    await this.load();
    await this.#adoptRequest();
    if (this.#options.stopSignal.aborted) return [];
    const ref = this.effectiveRef;
    const gateways = this.sync.gateways.filter((g) => !g.paused);
    if (this.sync.spec.paused || gateways.length === 0) {
      this.#log.info({ paused: this.sync.spec.paused, gateways: gateways.length }, 'round skipped');
      return [];
    }
    const git = this.#options.git;
    const repo = this.sync.spec.git.repo;
    const log = this.#log.child({ ref, cause });
    for (const g of gateways) this.#progress(g, 'Resolving', ref);
    let commit: string;
    let auth: ReturnType<typeof gitAuthFromSpec>;
    try {
      auth = gitAuthFromSpec(this.sync.spec.git, this.#options.secrets);
      const resolved = await git.resolveRef({ repo, ref, auth, signal: this.#options.signal });
      for (const warning of resolved.warnings) log.warn({ warning }, 'git warning');
      commit = resolved.commit;
      const due = gateways.filter((g) => this.#syncedAt.get(g.name) !== commit || this.#isVerifyDue(g));
      if (due.length === 0) {
        log.debug({ commit }, 'all gateways at the resolved commit');
        return gateways.map((g) => this.#unchanged(g, ref, commit));
      }
      await git.fetchCommit({
        repo,
        commit,
        ref: resolved.refName,
        auth,
        dir: this.#checkoutDir,
        signal: this.#options.signal,
      });
      log.info({ commit, gateways: due.map((g) => g.name) }, 'syncing gateways');
      for (const g of due) this.#progress(g, 'Queued', ref);
      const diffCache = new Map<string, Promise<readonly Change[]>>();
      const reports = await Promise.all(
        gateways.map((g) =>
          due.includes(g)
            ? this.#gate.run(() => this.#syncOne(g, { ref, commit, auth, diffCache }))
            : this.#unchanged(g, ref, commit),
        ),
      );
      return reports;
    } catch (e: unknown) {
      const err = toOperatorError(e, StandaloneReasons.SyncFailed);
      log.error({ err, reason: err.reason }, 'round failed before syncing gateways');
      return gateways.map((g) => {
        const report = failedReport(g, ref, err.reason, err.message);
        this.#progress(g, 'Failed', ref, report);
        return report;
      });
    }
  }

  /** Makes the latest webhook request the effective ref and persists it. */
  async #adoptRequest(): Promise<void> {
    const request = this.#nextRequest;
    this.#nextRequest = undefined;
    if (request === undefined) return;
    this.#requested = request;
    await this.#options.requestedRefs
      .save(this.sync.namespace, this.sync.name, request)
      .catch((e: unknown) => {
        // Still sync what was asked; only a restart would fall back to spec.git.ref.
        this.#log.warn(
          { err: toOperatorError(e, StandaloneReasons.SyncFailed) },
          'persisting the requested ref failed',
        );
      });
  }

  /** First sync of this process, or the verification interval elapsed. */
  #isVerifyDue(gateway: StandaloneGateway): boolean {
    const last = this.#verifiedAt.get(gateway.name);
    return (
      last === undefined ||
      this.#now() - last >= (this.#options.verifyIntervalMs ?? DEFAULT_VERIFY_INTERVAL_MS)
    );
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #unchanged(gateway: StandaloneGateway, ref: string, commit: string): GatewayReport {
    const report: GatewayReport = { ...failedReport(gateway, ref, null, null), commit, status: 'Synced' };
    this.#progress(gateway, 'Synced', ref, report);
    return report;
  }

  async #syncOne(gateway: StandaloneGateway, round: RoundTarget): Promise<GatewayReport> {
    const { ref, commit, auth, diffCache } = round;
    const mayStart = await this.#starts?.acquire(this.#options.stopSignal).then(
      () => true,
      () => false,
    );
    if (mayStart === false || this.#options.stopSignal.aborted) {
      const skipped = failedReport(gateway, ref, StandaloneReasons.ShuttingDown, 'not synced: shutting down');
      this.#progress(gateway, 'Failed', ref, skipped);
      return skipped;
    }
    this.#progress(gateway, 'Syncing', ref);
    const verify = this.#isVerifyDue(gateway);
    const report = await syncGateway({
      gateway,
      repo: this.sync.spec.git.repo,
      auth,
      ref,
      commit,
      checkoutDir: this.#checkoutDir,
      excludePatterns: this.sync.spec.excludePatterns,
      verify,
      dryRun: this.#options.dryRun || gateway.dryRun,
      git: this.#options.git,
      diffCache,
      secrets: this.#options.secrets,
      logger: this.#log,
      signal: this.#options.signal,
    });
    if (report.status === 'Synced' && !report.dryRun) {
      this.#syncedAt.set(gateway.name, commit);
      if (verify) this.#verifiedAt.set(gateway.name, this.#now());
    } else {
      this.#syncedAt.delete(gateway.name);
    }
    this.#progress(gateway, report.status, ref, report);
    return report;
  }
}
