import { createHash } from 'node:crypto';
import type { KubernetesObject } from '@kubernetes/client-node';
import { toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import { formatConditionTime } from './conditions.ts';
import type { KubeClient } from './kube-client.ts';
import { collectionPath, isNotFound, objectPath } from './kube-client.ts';

export type EventType = 'Normal' | 'Warning';

export interface EventRecorderOptions {
  readonly client: KubeClient;
  /** `source.component` / `reportingComponent`, e.g. `ignition-sync-controller`. */
  readonly component: string;
  /** `reportingInstance`, e.g. the pod name. */
  readonly instance: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Identical events within this window bump `count` instead of creating a new Event. Default 10 min. */
  readonly aggregationWindowMs?: number;
}

interface Seen {
  readonly name: string;
  count: number;
  lastMs: number;
}

interface CoreEvent {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  count?: number;
}

/**
 * Records core/v1 Events about objects (what `kubectl describe` shows). Identical events (same object, type, reason,
 * message) within the aggregation window are folded into one Event whose `count` and `lastTimestamp` grow, like
 * client-go's EventCorrelator. Recording never throws: a failed write is logged and dropped, because events are
 * best-effort and must not fail a reconcile. Messages must not contain secrets.
 */
export class EventRecorder {
  readonly #o: EventRecorderOptions;
  readonly #clock: Clock;
  readonly #seen = new Map<string, Seen>();

  constructor(options: EventRecorderOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Records an event; resolves once written (or dropped). `reason` should equal the condition reason. */
  async event(regarding: KubernetesObject, type: EventType, reason: string, message: string): Promise<void> {
    try {
      await this.#record(regarding, type, reason, message.slice(0, 1024));
    } catch (e: unknown) {
      const err = toOperatorError(e, KubeReasons.EventRecordFailed);
      this.#o.logger.warn({ err: { message: err.message }, reason }, 'event dropped');
    }
  }

  async #record(
    regarding: KubernetesObject,
    type: EventType,
    reason: string,
    message: string,
  ): Promise<void> {
    const namespace = regarding.metadata?.namespace ?? 'default';
    const uid = regarding.metadata?.uid ?? '';
    const key = createHash('sha256')
      .update(JSON.stringify([namespace, uid, regarding.metadata?.name, type, reason, message]))
      .digest('hex');
    const nowMs = this.#clock.now();
    const now = formatConditionTime(new Date(nowMs));
    const window = this.#o.aggregationWindowMs ?? 600_000;
    const seen = this.#seen.get(key);
    const events = { apiVersion: 'v1', plural: 'events', namespace };
    if (seen !== undefined && nowMs - seen.lastMs < window) {
      seen.count += 1;
      seen.lastMs = nowMs;
      try {
        await this.#o.client.request<CoreEvent>({
          method: 'PATCH',
          path: objectPath({ ...events, name: seen.name }),
          body: { count: seen.count, lastTimestamp: now },
        });
        return;
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
      }
    }
    const name = `${regarding.metadata?.name ?? 'object'}.${nowMs.toString(16)}${key.slice(0, 6)}`;
    await this.#o.client.request<CoreEvent>({
      method: 'POST',
      path: collectionPath(events),
      body: {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace },
        involvedObject: {
          apiVersion: regarding.apiVersion,
          kind: regarding.kind,
          name: regarding.metadata?.name,
          namespace: regarding.metadata?.namespace,
          uid: regarding.metadata?.uid,
          resourceVersion: regarding.metadata?.resourceVersion,
        },
        type,
        reason,
        message,
        count: 1,
        firstTimestamp: now,
        lastTimestamp: now,
        source: { component: this.#o.component },
        reportingComponent: this.#o.component,
        reportingInstance: this.#o.instance,
      },
    });
    this.#seen.set(key, { name, count: 1, lastMs: nowMs });
    this.#evict(nowMs, window);
  }

  #evict(nowMs: number, window: number): void {
    if (this.#seen.size < 4096) return;
    for (const [k, v] of this.#seen) if (nowMs - v.lastMs >= window) this.#seen.delete(k);
  }
}
