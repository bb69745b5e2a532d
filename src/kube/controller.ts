import { randomUUID } from 'node:crypto';
import { toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';
import type { Runnable } from './runnable.ts';
import { WorkQueue } from './work-queue.ts';

/** What a reconcile receives besides the key. */
export interface ReconcileContext {
  /** Aborted when the controller stops or the per-reconcile timeout passes. */
  readonly signal: AbortSignal;
  /** Child logger with `controller`, `reconcileId` and `key`. */
  readonly log: Logger;
  readonly reconcileId: string;
  now(): Date;
}

/** `requeueAfterMs` asks for another reconcile after that delay (controller-runtime `Result.RequeueAfter`). */
export interface ReconcileResult {
  readonly requeueAfterMs?: number;
}

/**
 * Level-based reconcile of one key (`namespace/name`). Re-read state from the informer cache; never trust an
 * event payload. Throw an OperatorError: `stalling` → no requeue, `waiting` → requeue after
 * `details.requeueAfterMs` (or the controller's default), `transient`/anything else → rate-limited requeue.
 */
export type Reconciler = (key: string, ctx: ReconcileContext) => Promise<ReconcileResult | undefined>;

/** Outcome of one reconcile, reported to `onReconciled` (metrics, tests). */
export interface ReconcileOutcome {
  readonly key: string;
  readonly result: 'success' | 'requeueAfter' | 'stalled' | 'waiting' | 'error';
  readonly reason?: string;
  readonly delayMs?: number;
}

export interface ControllerOptions {
  readonly name: string;
  readonly reconcile: Reconciler;
  readonly logger: Logger;
  /** Concurrent workers; a key is still processed by at most one at a time. Default 1. */
  readonly workers?: number;
  readonly queue?: WorkQueue;
  readonly clock?: Clock;
  /** Aborts a reconcile's signal after this long. Default 5 minutes. */
  readonly reconcileTimeoutMs?: number;
  /** Requeue delay for `waiting` errors without `details.requeueAfterMs`. Default 30 s. */
  readonly waitingRequeueMs?: number;
  readonly onReconciled?: (outcome: ReconcileOutcome) => void;
}

/**
 * Runs workers that take keys from a {@link WorkQueue} and call the reconciler (controller-runtime's
 * `reconcileHandler`). It is a {@link Runnable} that needs leadership.
 */
export class Controller implements Runnable {
  readonly name: string;
  readonly needsLeader = true;
  readonly queue: WorkQueue;
  readonly #options: ControllerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;

  constructor(options: ControllerOptions) {
    this.name = options.name;
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.queue = options.queue ?? new WorkQueue({ clock: this.#clock });
    this.#log = options.logger.child({ controller: options.name });
  }

  /** Enqueues a key (what informer handlers call). */
  enqueue(key: string): void {
    this.queue.add(key);
  }

  /** Runs the workers until `signal` aborts, then lets in-flight reconciles finish and resolves. */
  async start(signal: AbortSignal): Promise<void> {
    const workers = Math.max(1, this.#options.workers ?? 1);
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    this.#log.info({ workers }, 'controller started');
    await Promise.all(Array.from({ length: workers }, () => this.#worker(signal)));
    await this.queue.shutDownWithDrain();
    this.#log.info('controller stopped');
  }

  async #worker(stopSignal: AbortSignal): Promise<void> {
    for (let key = await this.queue.get(); key !== undefined; key = await this.queue.get()) {
      try {
        this.#report(await this.#reconcileOne(key, stopSignal));
      } finally {
        this.queue.done(key);
      }
    }
  }

  async #reconcileOne(key: string, stopSignal: AbortSignal): Promise<ReconcileOutcome> {
    const reconcileId = randomUUID();
    const log = this.#log.child({ reconcileId, key });
    const signal = AbortSignal.any([
      stopSignal,
      AbortSignal.timeout(this.#options.reconcileTimeoutMs ?? 300_000),
    ]);
    const ctx: ReconcileContext = { signal, log, reconcileId, now: () => new Date(this.#clock.now()) };
    try {
      const result = await this.#options.reconcile(key, ctx);
      this.queue.forget(key);
      const delayMs = result?.requeueAfterMs;
      if (delayMs !== undefined && delayMs > 0) {
        this.queue.addAfter(key, delayMs);
        return { key, result: 'requeueAfter', delayMs };
      }
      return { key, result: 'success' };
    } catch (e: unknown) {
      const err = toOperatorError(e, KubeReasons.ReconcileFailed);
      if (err.kind === 'stalling') {
        this.queue.forget(key);
        log.warn({ err, reason: err.reason }, 'reconcile stalled');
        return { key, result: 'stalled', reason: err.reason };
      }
      if (err.kind === 'waiting') {
        const requested = err.details?.requeueAfterMs;
        const delayMs =
          typeof requested === 'number' ? requested : (this.#options.waitingRequeueMs ?? 30_000);
        this.queue.forget(key);
        this.queue.addAfter(key, delayMs);
        log.info({ reason: err.reason, delayMs }, 'reconcile waiting');
        return { key, result: 'waiting', reason: err.reason, delayMs };
      }
      this.queue.addRateLimited(key);
      log.error({ err, reason: err.reason, retries: this.queue.numRequeues(key) }, 'reconcile failed');
      return { key, result: 'error', reason: err.reason };
    }
  }

  #report(outcome: ReconcileOutcome): void {
    try {
      this.#options.onReconciled?.(outcome);
    } catch (e: unknown) {
      this.#log.warn({ err: e }, 'onReconciled hook threw');
    }
  }
}
