import { join } from 'node:path';
import { DESIRED_STATE_KEY, desiredStateName } from '../api/index.ts';
import { toOperatorError } from '../errors.ts';
import {
  type CycleTimeouts,
  type GatewayApi,
  type GatewaySyncError,
  type SyncEngine,
  SyncHistory,
  sharedChanges,
  syncGateway,
} from '../gateway-sync/index.ts';
import type { GitClient } from '../git/index.ts';
import { GatewayClient, GatewayReasons } from '../ignition/index.ts';
import {
  type Clock,
  ExponentialFailureRateLimiter,
  type KubeClient,
  systemClock,
  type TimerHandle,
} from '../kube/index.ts';
import type { IgnitionSyncMetrics, Logger } from '../observability/index.ts';
import { AgentReasons } from '../reasons/index.ts';
import { readAppliedState } from '../sync/index.ts';
import type { AgentIdentity, AgentSettings } from './agent-config.ts';
import { readDesiredState } from './desired-state.ts';
import {
  failedReport,
  type GatewayReport,
  outcomeReport,
  pausedReport,
  pendingReport,
  type ReportContext,
  syncingReport,
} from './gateway-report.ts';
import { gatewayTargetOf } from './gateway-target-of.ts';
import { gitAuthOf } from './git-auth-of.ts';
import type { ConfigMap } from './kube-objects.ts';
import { ReportWriter } from './report-writer.ts';
import { DEFAULT_RETRY_POLICY, RETRY_KEY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
import { selectProfile } from './select-profile.ts';
import { WakeSignal } from './wake-signal.ts';

export interface SyncAgentOptions {
  readonly identity: AgentIdentity;
  readonly settings: AgentSettings;
  readonly client: KubeClient;
  readonly git: GitClient;
  readonly logger: Logger;
  readonly clock?: Clock | undefined;
  readonly retry?: Partial<RetryPolicy> | undefined;
  /** Verification pass (drift check) of a gateway already at the commit; default 10 min. */
  readonly verifyIntervalMs?: number | undefined;
  /** Deadlines and poll interval of the gateway cycle's waits. */
  readonly timeouts?: CycleTimeouts | undefined;
  readonly engine?: SyncEngine | undefined;
  /** `ignition_sync_sync_duration_seconds` and `ignition_sync_sync_results_total` of this gateway. */
  readonly metrics?: IgnitionSyncMetrics | undefined;
}

/** Why the initial-sync gate opened (logged once). */
type StartupDecision = 'synced' | 'held' | 'last-good-state';

const DEFAULT_VERIFY_MS = 10 * 60_000;

/** What a desired-state ConfigMap is, for deciding whether it changed (metadata-only updates are not changes). */
function contentKey(configMap: ConfigMap | undefined): string {
  if (configMap === undefined) return 'absent';
  const text = configMap.data?.[DESIRED_STATE_KEY];
  return text === undefined ? 'no-key' : `desired:${text}`;
}

/**
 * The agent's loop for its one gateway. `observe` takes each version of the desired-state ConfigMap (from
 * the informer); the loop syncs the latest one, one sync at a time: a change during a sync is applied right
 * after it (coalesced, latest wins). Every change cancels the pending retry and resets the backoff. After a
 * failure: `transient` → exponential backoff (cap 5 min), `waiting` → 30 s, `stalling` → the next change.
 * After a success: a verification pass every `verifyIntervalMs`.
 */
export class SyncAgent {
  readonly #options: SyncAgentOptions;
  readonly #log: Logger;
  readonly #clock: Clock;
  readonly #retry: RetryPolicy;
  readonly #backoff: ExponentialFailureRateLimiter;
  readonly #history: SyncHistory;
  readonly #reports: ReportWriter;
  readonly #wake = new WakeSignal();
  readonly #checkoutDir: string;
  #latest: ConfigMap | undefined;
  #latestKey: string | undefined;
  #timer: TimerHandle | undefined;
  /** The initial-sync gate opened (see `isReady`); it never closes again in this process. */
  #startup: StartupDecision | undefined;
  /** The last Synced report: what is re-written when the gateway is already at the commit. */
  #lastSynced: GatewayReport | undefined;
  #firstSync = true;
  /** Finished syncs (engine runs), for tests and logs. */
  syncs = 0;

  constructor(options: SyncAgentOptions) {
    this.#options = options;
    this.#log = options.logger;
    this.#clock = options.clock ?? systemClock;
    this.#retry = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.#backoff = new ExponentialFailureRateLimiter(
      this.#retry.transientBaseMs,
      this.#retry.transientMaxMs,
    );
    const verifyIntervalMs = options.verifyIntervalMs ?? DEFAULT_VERIFY_MS;
    this.#history = new SyncHistory({ verifyIntervalMs, now: () => this.#clock.now() });
    this.#reports = new ReportWriter({
      client: options.client,
      identity: options.identity,
      logger: options.logger,
      clock: this.#clock,
    });
    this.#checkoutDir = join(options.settings.workDir, 'checkout');
  }

  /** A version of the desired-state ConfigMap, or undefined when it is absent. Synchronous: only wakes the loop. */
  observe(configMap: ConfigMap | undefined): void {
    const key = contentKey(configMap);
    this.#latest = configMap;
    if (key === this.#latestKey) return;
    this.#latestKey = key;
    this.#cancelTimer();
    this.#backoff.forget(RETRY_KEY);
    this.#wake.fire();
  }

  /**
   * The initial sync is done, or the agent decided the gateway may start without it: the agent's `/readyz`,
   * the injected sidecar's startup probe (the kubelet starts the gateway container only after it passed).
   * It opens once, when the first sync of a published desired state finished Synced; when the gateway is
   * held (pause, dry run: holding must never keep a gateway pod from starting); or when the data dir already
   * holds a completely applied commit and the first attempt could not sync (no desired state, an invalid one,
   * an unpublished profile, a failed fetch or sync): the gateway starts on its last good state, the report
   * says why, and the agent keeps retrying. It stays closed while the data dir holds no completely applied
   * commit and no sync succeeded (the gateway would start on an empty or half-written data dir). Once open
   * it stays open: a later rollout never makes the pod look unstarted.
   */
  isReady(): boolean {
    return this.#startup !== undefined;
  }

  #openStartupGate(decision: StartupDecision, commit: string): void {
    if (this.#startup !== undefined) return;
    this.#startup = decision;
    const level = decision === 'last-good-state' ? 'warn' : 'info';
    this.#log[level]({ decision, commit }, 'initial sync gate open: the gateway may start');
  }

  /** After a failed sync: with a completely applied commit in the data dir, the gateway may start on it. */
  #proceedOnLastGoodState(applied: string | undefined): void {
    if (applied !== undefined) this.#openStartupGate('last-good-state', applied);
  }

  /** The report last asked for (tests and logs). */
  get report(): GatewayReport | undefined {
    return this.#reports.latest;
  }

  /** Runs until `signal` aborts. A sync in flight then stops at its next wait; a running apply finishes its files. */
  async run(signal: AbortSignal): Promise<void> {
    try {
      await this.#reports.load(signal);
    } catch (e: unknown) {
      if (signal.aborted) return;
      const err = toOperatorError(e, AgentReasons.ReportWriteFailed);
      this.#log.warn(
        { err: { message: err.message }, reason: err.reason },
        'reading the gateway report failed',
      );
    }
    try {
      while (!signal.aborted) {
        try {
          await this.#wake.wait(signal);
        } catch {
          break;
        }
        await this.#syncLatest(signal);
      }
    } finally {
      this.#cancelTimer();
      this.#reports.close();
    }
  }

  async #syncLatest(signal: AbortSignal): Promise<void> {
    this.#cancelTimer();
    const { identity, settings } = this.#options;
    const applied = await this.#appliedCommit();
    const read = readDesiredState(this.#latest);
    if (read.kind === 'missing') {
      this.#log.info(
        { configMap: desiredStateName(identity.crName) },
        'no desired state published; waiting for it',
      );
      this.#proceedOnLastGoodState(applied);
      await this.#write(pendingReport(this.#context(undefined, applied)));
      return;
    }
    if (read.kind === 'invalid') {
      this.#log.error(
        { err: { message: read.error.message }, reason: read.error.reason },
        'invalid desired state',
      );
      this.#proceedOnLastGoodState(applied);
      await this.#write(failedReport(this.#context(undefined, applied), errorOf(read.error)));
      return;
    }
    const desired = read.desired;
    const commit = desired.commit;
    const ctx = (appliedNow: string | undefined): ReportContext => this.#context(commit, appliedNow);
    const selection = selectProfile(desired, identity.routing);
    if (!selection.ok) {
      this.#log.error({ reason: AgentReasons.ProfileNotPublished, commit }, selection.message);
      this.#proceedOnLastGoodState(applied);
      await this.#write(
        failedReport(ctx(applied), {
          reason: AgentReasons.ProfileNotPublished,
          kind: 'stalling',
          message: selection.message,
        }),
      );
      return;
    }
    const selected = selection.selected;
    if (selected.paused) {
      this.#log.info(
        { commit, pausedBy: desired.paused ? 'IgnitionSync' : 'SyncProfile' },
        'paused: keeping the gateway as it is',
      );
      this.#openStartupGate('held', commit);
      await this.#write(pausedReport(ctx(applied)));
      return;
    }
    let target: ReturnType<typeof gatewayTargetOf>;
    let auth: ReturnType<typeof gitAuthOf>;
    try {
      target = gatewayTargetOf(identity.gatewayName, settings, desired, selected);
      auth = gitAuthOf(desired.auth, settings.secretsDir);
    } catch (e: unknown) {
      const err = toOperatorError(e, AgentReasons.DesiredStateInvalid, 'stalling');
      this.#proceedOnLastGoodState(applied);
      await this.#write(failedReport(ctx(applied), errorOf(err)));
      return;
    }
    if (!this.#history.isDue(target.name, commit) && !selected.dryRun && this.#lastSynced !== undefined) {
      this.#openStartupGate('synced', commit);
      await this.#write({ ...this.#lastSynced, commit: applied ?? commit });
      this.#scheduleVerify();
      return;
    }
    await this.#write(syncingReport(ctx(applied)));
    const log = this.#log.child({ commit, ref: desired.ref });
    try {
      const fetched = await this.#options.git.fetchCommit({
        repo: desired.repo,
        commit,
        ref: desired.ref,
        auth,
        dir: this.#checkoutDir,
        signal,
      });
      for (const warning of fetched.warnings) log.warn({ warning }, 'git warning');
    } catch (e: unknown) {
      if (signal.aborted) return;
      const err = toOperatorError(e, AgentReasons.SyncFailed);
      log.error(
        { err: { message: err.message }, reason: err.reason, kind: err.kind },
        'fetching the commit failed',
      );
      const appliedNow = await this.#appliedCommit();
      this.#countFailure(err.reason);
      this.#proceedOnLastGoodState(appliedNow);
      await this.#write(failedReport(ctx(appliedNow), errorOf(err), new Date(this.#clock.now())));
      this.#scheduleRetry(err.kind);
      return;
    }
    const initial = this.#firstSync && (await isGatewayDown(target.api, signal, log));
    if (initial)
      log.info('gateway not reachable before the first sync: first-boot sync, files only, no scans');
    this.#firstSync = false;
    const outcome = await syncGateway({
      target,
      commit,
      checkoutDir: this.#checkoutDir,
      changes: sharedChanges((from, to) =>
        this.#options.git.diff({ dir: this.#checkoutDir, from, to, repo: desired.repo, auth, signal }),
      ),
      isOlder: (candidate, than) =>
        this.#options.git.isOlder({
          dir: this.#checkoutDir,
          candidate,
          than,
          repo: desired.repo,
          auth,
          signal,
        }),
      verify: this.#history.isVerifyDue(target.name),
      dryRun: selected.dryRun,
      afterCommissioning: this.#history.isAfterCommissioning(target.name),
      initial,
      logger: log,
      signal,
      timeouts: this.#options.timeouts,
      engine: this.#options.engine,
    });
    this.syncs += 1;
    // Shutting down: the report keeps saying Syncing; the next start re-plans from the data dir's state.
    if (signal.aborted && outcome.status === 'Failed') return;
    this.#history.record(outcome);
    this.#observe({
      result: outcome.status,
      reason: outcome.error?.reason ?? (outcome.dryRun ? 'DryRun' : 'Synced'),
      seconds: outcome.durationMs / 1000,
    });
    const appliedNow = await this.#appliedCommit();
    const report = outcomeReport(ctx(appliedNow), outcome, new Date(this.#clock.now()));
    // The gate opens before the report goes out: whoever sees the report sees the gate open.
    if (outcome.error === null) this.#openStartupGate(outcome.dryRun ? 'held' : 'synced', commit);
    else this.#proceedOnLastGoodState(appliedNow);
    await this.#write(report);
    if (outcome.error !== null) {
      this.#scheduleRetry(outcome.error.kind);
      return;
    }
    this.#backoff.forget(RETRY_KEY);
    if (!outcome.dryRun) {
      this.#lastSynced = report;
      this.#scheduleVerify();
    }
  }

  #observe(o: { result: 'Synced' | 'Failed'; reason: string; seconds: number }): void {
    const { namespace, crName } = this.#options.identity;
    this.#options.metrics?.observeGatewaySync({ namespace, name: crName, ...o });
  }

  /** A sync that failed before the engine ran (the fetch): a result, but no duration. */
  #countFailure(reason: string): void {
    const { namespace, crName } = this.#options.identity;
    this.#options.metrics?.countFailedSync({ namespace, name: crName }, reason);
  }

  #context(desiredCommit: string | undefined, appliedCommit: string | undefined): ReportContext {
    return {
      identity: this.#options.identity,
      previous: this.#reports.latest,
      desiredCommit,
      appliedCommit,
    };
  }

  async #appliedCommit(): Promise<string | undefined> {
    try {
      return (await readAppliedState(this.#options.settings.dataDir))?.commit;
    } catch {
      return undefined;
    }
  }

  #write(report: GatewayReport): Promise<void> {
    return this.#reports.write(report);
  }

  #scheduleRetry(kind: GatewaySyncError['kind']): void {
    const delay = retryDelayMs(kind, this.#retry, this.#backoff);
    if (delay === undefined) {
      this.#log.info({ kind }, 'not retrying until the desired state changes');
      return;
    }
    this.#log.info({ kind, delayMs: delay }, 'retrying the sync later');
    this.#schedule(delay);
  }

  #scheduleVerify(): void {
    this.#schedule(this.#options.verifyIntervalMs ?? DEFAULT_VERIFY_MS);
  }

  #schedule(delayMs: number): void {
    this.#cancelTimer();
    this.#timer = this.#clock.setTimeout(() => {
      this.#timer = undefined;
      this.#wake.fire();
    }, delayMs);
  }

  #cancelTimer(): void {
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}

function errorOf(err: { reason: string; kind: GatewaySyncError['kind']; message: string }): GatewaySyncError {
  return { reason: err.reason, kind: err.kind, message: err.message };
}

/**
 * Before the agent's first sync: is the gateway down (connection refused, DNS, reset)? In a new pod the
 * gateway container starts only after the agent's startup probe passed, so its first sync writes the files
 * without gateway calls (the gateway loads them when it starts). One quick StatusPing, no retries.
 */
async function isGatewayDown(
  api: GatewayApi | undefined,
  signal: AbortSignal,
  log: Logger,
): Promise<boolean> {
  if (api === undefined) return false;
  let client: GatewayClient | undefined;
  try {
    client = new GatewayClient({ ...api, timeoutMs: 2_000, backoff: { attempts: 1, baseMs: 0, maxMs: 0 } });
    await client.statusPing({ signal });
    return false;
  } catch (e: unknown) {
    const err = toOperatorError(e, GatewayReasons.GatewayUnreachable);
    log.debug({ reason: err.reason }, 'gateway status ping before the first sync failed');
    return err.reason === GatewayReasons.GatewayUnreachable;
  } finally {
    await client?.close();
  }
}
