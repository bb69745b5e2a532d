import { type DiscoveredGateway, GatewaySyncStatuses } from '../api/index.ts';
import type { ReconcileOutcome } from '../kube/index.ts';
import {
  CommitLagTracker,
  createMetricsRegistry,
  type GatewayPosition,
  IgnitionSyncMetrics,
} from '../observability/index.ts';

const SYNC_STATUSES = Object.values(GatewaySyncStatuses);

function positionsOf(gateways: readonly DiscoveredGateway[]): GatewayPosition[] {
  return gateways.map((g) => ({ id: g.podName ?? g.name, commit: g.commit }));
}

/**
 * The controller's side of the shared metrics (`src/observability`, served at `/metrics`): reconcile
 * duration and results, gateways by status, gateways behind the published commit, commit lag (published →
 * a gateway's report at it), the work queue's depth. Webhook verdicts are counted by the receiver itself.
 */
export class ControllerMetrics {
  readonly shared: IgnitionSyncMetrics;
  readonly #lag = new CommitLagTracker();
  readonly #now: () => number;

  constructor(options: { readonly shared?: IgnitionSyncMetrics; readonly now?: () => number } = {}) {
    this.shared = options.shared ?? new IgnitionSyncMetrics(createMetricsRegistry());
    this.#now = options.now ?? Date.now;
  }

  get registry() {
    return this.shared.registry;
  }

  observeReconcile(seconds: number, failed: boolean): void {
    this.shared.reconcileDuration.observe({ result: failed ? 'error' : 'success' }, seconds);
  }

  recordOutcome(outcome: ReconcileOutcome): void {
    const result = outcome.result === 'requeueAfter' ? 'requeue_after' : outcome.result;
    this.shared.reconciles.inc({ result, reason: outcome.reason ?? '' });
  }

  /**
   * The reconcile's view of one IgnitionSync: its gateways and the commit published to them (undefined:
   * none). `isNewlyPublished`: this reconcile published that commit, which starts its lag clock; a commit
   * published before this process started has no start time and yields no lag observations.
   */
  setGateways(
    namespace: string,
    name: string,
    gateways: readonly DiscoveredGateway[],
    published?: { readonly commit: string; readonly isNewlyPublished: boolean },
  ): void {
    const labels = { namespace, ignition_sync: name };
    for (const sync_status of SYNC_STATUSES) {
      const n = gateways.filter((g) => g.syncStatus === sync_status).length;
      this.shared.gateways.set({ ...labels, sync_status }, n);
    }
    if (published === undefined) {
      this.shared.gatewaysBehind.remove(labels);
      return;
    }
    const key = `${namespace}/${name}`;
    // A report says Synced at a commit once that sync finished; Syncing carries the commit it started from.
    const positions = positionsOf(gateways.filter((g) => g.syncStatus !== GatewaySyncStatuses.Syncing));
    const now = this.#now();
    if (published.isNewlyPublished) this.#lag.noteDesired(key, published.commit, now, positions);
    for (const seconds of this.#lag.arrivals(key, positions, now))
      this.shared.observeCommitLag({ namespace, name }, seconds);
    this.shared.setGatewaysBehind(
      { namespace, name },
      CommitLagTracker.behind(positionsOf(gateways), published.commit),
    );
  }

  forgetIgnitionSync(namespace: string, name: string): void {
    this.#lag.forget(`${namespace}/${name}`);
    this.shared.forgetIgnitionSync({ namespace, name }, SYNC_STATUSES);
  }
}
