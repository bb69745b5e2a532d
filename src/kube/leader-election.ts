import { isDeepStrictEqual } from 'node:util';
import { V1MicroTime } from '@kubernetes/client-node';
import { toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { Clock } from './clock.ts';
import { sleep, systemClock } from './clock.ts';
import type { KubeClient } from './kube-client.ts';
import { isConflict, isNotFound, objectPath } from './kube-client.ts';

/** `coordination.k8s.io/v1` LeaseSpec as stored (times are MicroTime strings with 6 fractional digits). */
export interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  apiVersion: 'coordination.k8s.io/v1';
  kind: 'Lease';
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: LeaseSpec;
}

export interface LeaderElectorOptions {
  /** A KubeClient (or anything with its `request`, e.g. a fake in unit tests). */
  readonly client: Pick<KubeClient, 'request'>;
  readonly namespace: string;
  readonly name: string;
  /** Unique per process (pod name + random suffix). */
  readonly identity: string;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** controller-runtime defaults: 15 s / 10 s / 2 s. */
  readonly leaseDurationMs?: number;
  readonly renewDeadlineMs?: number;
  readonly retryPeriodMs?: number;
  /**
   * Called when we become leader; `signal` aborts when leadership ends. Start controllers here and return a
   * promise that settles when they stopped: on release the Lease is freed only after that (bounded by
   * renewDeadline), so a successor never overlaps with a reconcile still in flight.
   */
  readonly onStartedLeading: (signal: AbortSignal) => void | Promise<void>;
  /** Called once leadership ends (lost or released). Controllers must already be stopping. */
  readonly onStoppedLeading?: () => void;
  /** Called when the observed leader changes (including to ourselves). */
  readonly onNewLeader?: (identity: string) => void;
}

/** MicroTime string with exactly 6 fractional digits (a 3-digit Date string is rejected by the apiserver). */
export function microTime(ms: number): string {
  return new V1MicroTime(ms).toISOString();
}

/**
 * Lease-based leader election with client-go's rules:
 * - a Lease held by someone else is taken over only after its record stayed unchanged for leaseDuration measured
 *   on OUR clock from when we observed it (skew-safe: the holder's timestamps are never compared with our clock);
 * - updates carry the read resourceVersion, so of two candidates only one wins (the other gets 409);
 * - the leader renews every retryPeriod; if it cannot renew for renewDeadline, or it sees another holder, it stops
 *   leading at once (the signal given to onStartedLeading aborts);
 * - when `run`'s signal aborts while leading, the Lease is released by clearing holderIdentity so a successor
 *   does not wait for expiry.
 */
export class LeaderElector {
  readonly #o: LeaderElectorOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #leaseDurationMs: number;
  readonly #renewDeadlineMs: number;
  readonly #retryPeriodMs: number;
  #observed: LeaseSpec | undefined;
  #observedAt = 0;
  #observedRv: string | undefined;
  #leader = false;
  #lastLeader: string | undefined;

  constructor(options: LeaderElectorOptions) {
    this.#o = options;
    this.#clock = options.clock ?? systemClock;
    this.#log = options.logger.child({
      lease: `${options.namespace}/${options.name}`,
      identity: options.identity,
    });
    this.#leaseDurationMs = options.leaseDurationMs ?? 15_000;
    this.#renewDeadlineMs = options.renewDeadlineMs ?? 10_000;
    this.#retryPeriodMs = options.retryPeriodMs ?? 2_000;
    if (this.#leaseDurationMs <= this.#renewDeadlineMs || this.#renewDeadlineMs <= this.#retryPeriodMs) {
      throw new TypeError('leader election: need leaseDuration > renewDeadline > retryPeriod');
    }
  }

  isLeader(): boolean {
    return this.#leader;
  }

  /** Campaigns until leader, leads until leadership is lost or `signal` aborts, then resolves. */
  async run(signal: AbortSignal): Promise<void> {
    const acquired = await this.#acquire(signal);
    if (!acquired) return;
    const leading = new AbortController();
    this.#leader = true;
    this.#log.info('started leading');
    let leadingDone: Promise<unknown> = Promise.resolve();
    try {
      leadingDone = Promise.resolve(this.#o.onStartedLeading(leading.signal)).catch(() => undefined);
      await this.#renewLoop(signal);
    } finally {
      this.#leader = false;
      leading.abort(new Error('leadership ended'));
      if (signal.aborted) {
        const bound = new AbortController();
        await Promise.race([leadingDone, this.#wait(this.#renewDeadlineMs, bound.signal)]);
        bound.abort();
        await this.#release();
      }
      this.#log.info('stopped leading');
      this.#o.onStoppedLeading?.();
    }
  }

  async #acquire(signal: AbortSignal): Promise<boolean> {
    while (!signal.aborted) {
      if (await this.#tryAcquireOrRenew(signal)) return true;
      await this.#wait(this.#retryPeriodMs * (1 + Math.random() * 0.2), signal);
    }
    return false;
  }

  async #renewLoop(signal: AbortSignal): Promise<void> {
    let lastRenew = this.#clock.now();
    while (!signal.aborted) {
      await this.#wait(this.#retryPeriodMs, signal);
      if (signal.aborted) return;
      const deadline = lastRenew + this.#renewDeadlineMs;
      const attemptSignal = AbortSignal.any([
        signal,
        AbortSignal.timeout(Math.max(1, deadline - this.#clock.now())),
      ]);
      if (await this.#tryAcquireOrRenew(attemptSignal)) {
        lastRenew = this.#clock.now();
        continue;
      }
      const holder = this.#observed?.holderIdentity;
      if (holder !== undefined && holder !== '' && holder !== this.#o.identity) {
        this.#log.warn({ holder }, 'lease taken by another holder');
        return;
      }
      if (this.#clock.now() >= deadline) {
        this.#log.error(
          { reason: KubeReasons.LeaderElectionLost, renewDeadlineMs: this.#renewDeadlineMs },
          'failed to renew lease within deadline',
        );
        return;
      }
    }
  }

  /** One client-go `tryAcquireOrRenew`: true when we hold the Lease afterwards. */
  async #tryAcquireOrRenew(signal: AbortSignal): Promise<boolean> {
    const path = objectPath({
      apiVersion: 'coordination.k8s.io/v1',
      plural: 'leases',
      namespace: this.#o.namespace,
      name: this.#o.name,
    });
    const now = this.#clock.now();
    const mine: LeaseSpec = {
      holderIdentity: this.#o.identity,
      leaseDurationSeconds: Math.ceil(this.#leaseDurationMs / 1000),
      acquireTime: microTime(now),
      renewTime: microTime(now),
      leaseTransitions: 0,
    };
    try {
      let lease: Lease;
      try {
        lease = await this.#o.client.request<Lease>({ method: 'GET', path, signal });
      } catch (e: unknown) {
        if (!isNotFound(e)) throw e;
        const created = await this.#o.client.request<Lease>({
          method: 'POST',
          path: path.slice(0, path.lastIndexOf('/')),
          body: {
            apiVersion: 'coordination.k8s.io/v1',
            kind: 'Lease',
            metadata: { name: this.#o.name, namespace: this.#o.namespace },
            spec: mine,
          },
          signal,
        });
        this.#observe(created);
        return true;
      }
      this.#observe(lease);
      const spec = lease.spec ?? {};
      const holder = spec.holderIdentity ?? '';
      const heldByOther = holder !== '' && holder !== this.#o.identity;
      if (heldByOther && this.#observedAt + this.#leaseDurationMs > now) return false;
      const next: LeaseSpec =
        holder === this.#o.identity
          ? {
              ...mine,
              acquireTime: spec.acquireTime ?? microTime(now),
              leaseTransitions: spec.leaseTransitions ?? 0,
            }
          : { ...mine, leaseTransitions: (spec.leaseTransitions ?? 0) + 1 };
      const updated = await this.#o.client.request<Lease>({
        method: 'PUT',
        path,
        body: { ...lease, spec: next },
        signal,
      });
      this.#observe(updated);
      return true;
    } catch (e: unknown) {
      if (!isConflict(e) && !signal.aborted) {
        const err = toOperatorError(e, KubeReasons.LeaderElectionLost);
        this.#log.warn({ err: { message: err.message } }, 'lease acquire/renew failed');
      }
      return false;
    }
  }

  /** Records the Lease; the observation time moves only when the record changes (client-go observedTime). */
  #observe(lease: Lease): void {
    const spec = lease.spec ?? {};
    if (!isDeepStrictEqual(spec, this.#observed) || lease.metadata.resourceVersion !== this.#observedRv) {
      this.#observed = spec;
      this.#observedRv = lease.metadata.resourceVersion;
      this.#observedAt = this.#clock.now();
    }
    const holder = spec.holderIdentity ?? '';
    if (holder !== '' && holder !== this.#lastLeader) {
      this.#lastLeader = holder;
      this.#log.info({ leader: holder }, 'new leader observed');
      this.#o.onNewLeader?.(holder);
    }
  }

  /** Clears holderIdentity so the next candidate can take over at once (client-go ReleaseOnCancel). */
  async #release(): Promise<void> {
    const path = objectPath({
      apiVersion: 'coordination.k8s.io/v1',
      plural: 'leases',
      namespace: this.#o.namespace,
      name: this.#o.name,
    });
    const signal = AbortSignal.timeout(this.#renewDeadlineMs);
    try {
      const lease = await this.#o.client.request<Lease>({ method: 'GET', path, signal });
      if (lease.spec?.holderIdentity !== this.#o.identity) return;
      const now = microTime(this.#clock.now());
      const spec: LeaseSpec = {
        ...lease.spec,
        holderIdentity: '',
        leaseDurationSeconds: 1,
        renewTime: now,
        acquireTime: now,
      };
      await this.#o.client.request<Lease>({ method: 'PUT', path, body: { ...lease, spec }, signal });
      this.#log.info('lease released');
    } catch (e: unknown) {
      const err = toOperatorError(e, KubeReasons.LeaderElectionLost);
      this.#log.warn({ err: { message: err.message } }, 'lease release failed');
    }
  }

  #wait(ms: number, signal: AbortSignal): Promise<void> {
    return sleep(this.#clock, ms, signal).catch(() => undefined);
  }
}
