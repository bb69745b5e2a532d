import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type DiscoveredGateway, GatewaySyncStatuses } from '../api/index.ts';
import type { ReconcileOutcome } from '../kube/index.ts';

/** Verdict label of a webhook answer, from its HTTP status. */
export function webhookVerdict(status: number): string {
  if (status === 202) return 'accepted';
  if (status === 200) return 'ignored';
  if (status === 401) return 'unauthorized';
  if (status >= 500) return 'error';
  return 'rejected';
}

/**
 * The controller's Prometheus metrics, in their own registry (served at `/metrics`):
 * - `ignition_sync_reconcile_duration_seconds{result}` histogram
 * - `ignition_sync_reconcile_total{result, reason}` counter (result: success, requeue_after, stalled, waiting, error)
 * - `ignition_sync_gateways{namespace, ignition_sync, sync_status}` gauge
 * - `ignition_sync_webhook_requests_total{verdict}` counter (accepted, ignored, unauthorized, rejected, error)
 * plus the prom-client process and Node.js defaults.
 */
export class ControllerMetrics {
  readonly registry = new Registry();
  readonly #duration = new Histogram({
    name: 'ignition_sync_reconcile_duration_seconds',
    help: 'Time one IgnitionSync reconcile took.',
    labelNames: ['result'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly #results = new Counter({
    name: 'ignition_sync_reconcile_total',
    help: 'IgnitionSync reconciles by result and reason.',
    labelNames: ['result', 'reason'] as const,
    registers: [this.registry],
  });
  readonly #gateways = new Gauge({
    name: 'ignition_sync_gateways',
    help: 'Discovered gateways by IgnitionSync and sync status.',
    labelNames: ['namespace', 'ignition_sync', 'sync_status'] as const,
    registers: [this.registry],
  });
  readonly #webhooks = new Counter({
    name: 'ignition_sync_webhook_requests_total',
    help: 'Webhook receiver requests by verdict.',
    labelNames: ['verdict'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  observeReconcile(seconds: number, failed: boolean): void {
    this.#duration.observe({ result: failed ? 'error' : 'success' }, seconds);
  }

  recordOutcome(outcome: ReconcileOutcome): void {
    const result = outcome.result === 'requeueAfter' ? 'requeue_after' : outcome.result;
    this.#results.inc({ result, reason: outcome.reason ?? '' });
  }

  setGateways(namespace: string, name: string, gateways: readonly DiscoveredGateway[]): void {
    for (const status of Object.values(GatewaySyncStatuses)) {
      const n = gateways.filter((g) => g.syncStatus === status).length;
      this.#gateways.set({ namespace, ignition_sync: name, sync_status: status }, n);
    }
  }

  forgetIgnitionSync(namespace: string, name: string): void {
    for (const status of Object.values(GatewaySyncStatuses))
      this.#gateways.remove({ namespace, ignition_sync: name, sync_status: status });
  }

  recordWebhook(status: number): void {
    this.#webhooks.inc({ verdict: webhookVerdict(status) });
  }
}
