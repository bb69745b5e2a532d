import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The metric names of every ignition-sync process (controller, agent, `run`): one list, so that the three
 * name them identically, the README table (`src/observability/README.md`) and the Grafana dashboard
 * (`deploy/grafana/ignition-sync.json`) are checked against it by unit tests. Prometheus conventions:
 * prefix `ignition_sync_`, base units (`_seconds`), `_total` for counters. Add, never rename.
 */
export const MetricNames = {
  syncDuration: 'ignition_sync_sync_duration_seconds',
  syncResults: 'ignition_sync_sync_results_total',
  commitLag: 'ignition_sync_commit_lag_seconds',
  gatewaysBehind: 'ignition_sync_gateways_behind',
  gateways: 'ignition_sync_gateways',
  queueDepth: 'ignition_sync_work_queue_depth',
  webhookRequests: 'ignition_sync_webhook_requests_total',
  rateLimitWaits: 'ignition_sync_rate_limit_waits_total',
  rateLimitWait: 'ignition_sync_rate_limit_wait_seconds',
  reconcileDuration: 'ignition_sync_reconcile_duration_seconds',
  reconciles: 'ignition_sync_reconcile_total',
} as const;
export type MetricName = (typeof MetricNames)[keyof typeof MetricNames];

/** The `result` label of the sync metrics: the gateway report's status. */
export type SyncResultLabel = 'Synced' | 'Failed';
/** The `limiter` label of the rate-limit metrics. */
export type RateLimiterLabel = 'concurrency' | 'start_rate';
/** The `verdict` label of `ignition_sync_webhook_requests_total`. */
export type WebhookVerdict = 'accepted' | 'ignored' | 'unauthorized' | 'not_found' | 'rejected' | 'error';

/** Which IgnitionSync a measurement belongs to (`namespace`, `ignition_sync` labels). */
export interface SyncKeyLabels {
  readonly namespace: string;
  readonly name: string;
}

/** One finished gateway sync, as the metrics see it. */
export interface GatewaySyncObservation extends SyncKeyLabels {
  readonly result: SyncResultLabel;
  /** `Synced` (or `DryRun`) for a success; the error's registered reason for a failure. */
  readonly reason: string;
  readonly seconds: number;
}

/** Verdict of a webhook answer, from its HTTP status. */
export function webhookVerdict(status: number): WebhookVerdict {
  if (status === 202) return 'accepted';
  if (status >= 200 && status < 300) return 'ignored';
  if (status === 401) return 'unauthorized';
  if (status === 404) return 'not_found';
  if (status >= 500) return 'error';
  return 'rejected';
}

export interface CreateMetricsRegistryOptions {
  /** prom-client's process and Node.js metrics (`process_*`, `nodejs_*`). Default true. */
  readonly defaultMetrics?: boolean;
}

/** A fresh registry (never prom-client's global one), with the process and Node.js defaults. */
export function createMetricsRegistry(options: CreateMetricsRegistryOptions = {}): Registry {
  const registry = new Registry();
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return registry;
}

const SYNC_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const LAG_BUCKETS = [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600];
const WAIT_BUCKETS = [0.01, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300];
const RECONCILE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/**
 * Every ignition-sync metric, registered on one injected registry. A process records only what it does
 * (the agent never reconciles, the controller never syncs a gateway itself); an unused labelled metric
 * shows only its HELP and TYPE lines. Another component adds its own metric on `registry` (and a row in
 * the README table, which a unit test checks).
 *
 * @example
 * const metrics = new IgnitionSyncMetrics(createMetricsRegistry());
 * metrics.observeGatewaySync({ namespace: 'ns', name: 'igs', result: 'Synced', reason: 'Synced', seconds: 1.2 });
 */
export class IgnitionSyncMetrics {
  readonly registry: Registry;
  readonly syncDuration: Histogram<'namespace' | 'ignition_sync' | 'result'>;
  readonly syncResults: Counter<'namespace' | 'ignition_sync' | 'result' | 'reason'>;
  readonly commitLag: Histogram<'namespace' | 'ignition_sync'>;
  readonly gatewaysBehind: Gauge<'namespace' | 'ignition_sync'>;
  readonly gateways: Gauge<'namespace' | 'ignition_sync' | 'sync_status'>;
  readonly queueDepth: Gauge<'queue'>;
  readonly webhookRequests: Counter<'verdict' | 'reason'>;
  readonly rateLimitWaits: Counter<'limiter'>;
  readonly rateLimitWait: Histogram<'limiter'>;
  readonly reconcileDuration: Histogram<'result'>;
  readonly reconciles: Counter<'result' | 'reason'>;
  readonly #queues = new Map<string, () => number>();

  constructor(registry: Registry) {
    this.registry = registry;
    const registers = [registry];
    const queues = this.#queues;
    this.syncDuration = new Histogram({
      name: MetricNames.syncDuration,
      help: 'Time one gateway sync took (fetch excluded: plan, locks, apply, scans), by result.',
      labelNames: ['namespace', 'ignition_sync', 'result'] as const,
      buckets: SYNC_BUCKETS,
      registers,
    });
    this.syncResults = new Counter({
      name: MetricNames.syncResults,
      help: 'Finished gateway syncs by result and reason (Synced, DryRun or the failure reason).',
      labelNames: ['namespace', 'ignition_sync', 'result', 'reason'] as const,
      registers,
    });
    this.commitLag = new Histogram({
      name: MetricNames.commitLag,
      help: 'Seconds from a commit being resolved (run) or published (controller) to a gateway reporting it applied.',
      labelNames: ['namespace', 'ignition_sync'] as const,
      buckets: LAG_BUCKETS,
      registers,
    });
    this.gatewaysBehind = new Gauge({
      name: MetricNames.gatewaysBehind,
      help: 'Gateways of an IgnitionSync not at its desired commit.',
      labelNames: ['namespace', 'ignition_sync'] as const,
      registers,
    });
    this.gateways = new Gauge({
      name: MetricNames.gateways,
      help: 'Discovered gateways by IgnitionSync and sync status.',
      labelNames: ['namespace', 'ignition_sync', 'sync_status'] as const,
      registers,
    });
    this.queueDepth = new Gauge({
      name: MetricNames.queueDepth,
      help: 'Items waiting in a work queue (controller: IgnitionSync keys; run: rounds and gateway syncs).',
      labelNames: ['queue'] as const,
      registers,
      collect() {
        for (const [queue, read] of queues) this.set({ queue }, read());
      },
    });
    this.webhookRequests = new Counter({
      name: MetricNames.webhookRequests,
      help: 'Webhook receiver answers by verdict and reason (the error code of refused requests).',
      labelNames: ['verdict', 'reason'] as const,
      registers,
    });
    this.rateLimitWaits = new Counter({
      name: MetricNames.rateLimitWaits,
      help: 'Gateway syncs that had to wait for a rate limit (maxConcurrentSyncs, maxSyncsPerMinute).',
      labelNames: ['limiter'] as const,
      registers,
    });
    this.rateLimitWait = new Histogram({
      name: MetricNames.rateLimitWait,
      help: 'Time each gateway sync spent waiting for a rate limit (0 when it did not wait).',
      labelNames: ['limiter'] as const,
      buckets: WAIT_BUCKETS,
      registers,
    });
    this.reconcileDuration = new Histogram({
      name: MetricNames.reconcileDuration,
      help: 'Time one IgnitionSync reconcile took.',
      labelNames: ['result'] as const,
      buckets: RECONCILE_BUCKETS,
      registers,
    });
    this.reconciles = new Counter({
      name: MetricNames.reconciles,
      help: 'IgnitionSync reconciles by result and reason.',
      labelNames: ['result', 'reason'] as const,
      registers,
    });
  }

  /** One finished gateway sync: the duration histogram and the results counter. */
  observeGatewaySync(o: GatewaySyncObservation): void {
    const key = { namespace: o.namespace, ignition_sync: o.name };
    this.syncDuration.observe({ ...key, result: o.result }, o.seconds);
    this.syncResults.inc({ ...key, result: o.result, reason: o.reason });
  }

  /** A gateway sync that failed before the engine ran (resolve, fetch): counted, but no duration. */
  countFailedSync(key: SyncKeyLabels, reason: string): void {
    this.syncResults.inc({ namespace: key.namespace, ignition_sync: key.name, result: 'Failed', reason });
  }

  /** A gateway reached the desired commit `seconds` after it was resolved or published. */
  observeCommitLag(key: SyncKeyLabels, seconds: number): void {
    this.commitLag.observe({ namespace: key.namespace, ignition_sync: key.name }, Math.max(0, seconds));
  }

  setGatewaysBehind(key: SyncKeyLabels, count: number): void {
    this.gatewaysBehind.set({ namespace: key.namespace, ignition_sync: key.name }, count);
  }

  /** A webhook answer (status and, for refusals, the registered error reason). */
  recordWebhook(status: number, reason?: string): void {
    this.webhookRequests.inc({ verdict: webhookVerdict(status), reason: reason ?? '' });
  }

  /** One rate-limit acquisition: counted as a wait when it waited at all; its time always observed. */
  observeRateLimit(limiter: RateLimiterLabel, waitedSeconds: number): void {
    if (waitedSeconds > 0) this.rateLimitWaits.inc({ limiter });
    this.rateLimitWait.observe({ limiter }, waitedSeconds);
  }

  /** `read()` is sampled at every scrape as `ignition_sync_work_queue_depth{queue}`. */
  trackQueueDepth(queue: string, read: () => number): void {
    this.#queues.set(queue, read);
  }

  /** Drops the per-IgnitionSync series of a deleted IgnitionSync. */
  forgetIgnitionSync(key: SyncKeyLabels, syncStatuses: readonly string[]): void {
    const labels = { namespace: key.namespace, ignition_sync: key.name };
    this.gatewaysBehind.remove(labels);
    for (const sync_status of syncStatuses) this.gateways.remove({ ...labels, sync_status });
  }

  /** The text exposition format (what `/metrics` answers). */
  async exposition(): Promise<{ readonly contentType: string; readonly text: string }> {
    return { contentType: this.registry.contentType, text: await this.registry.metrics() };
  }
}
