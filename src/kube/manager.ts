import { OperatorError, toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import { LeaderElector, type LeaderElectorOptions } from './leader-election.ts';
import type { Runnable } from './runnable.ts';

/** Something whose cache must be filled before controllers start (an Informer). */
export interface SyncedCache {
  waitForSync(signal?: AbortSignal): Promise<void>;
  hasSynced(): boolean;
}

export interface ManagerOptions {
  readonly logger: Logger;
  /** Lease settings; without them every runnable starts at once (single replica, tests). */
  readonly leaderElection?: Omit<LeaderElectorOptions, 'logger' | 'onStartedLeading' | 'onStoppedLeading'>;
  /** How long stopping runnables may take after the stop signal. Default 30 s. */
  readonly gracePeriodMs?: number;
}

/**
 * Runs a set of {@link Runnable}s like controller-runtime's manager: runnables that do not need leadership
 * (informers, webhook and health servers) start at once on every replica; the others (controllers) start once
 * the registered caches have synced and, with leader election, only while this replica leads. `start` resolves
 * after its signal aborted and everything stopped (or the grace period passed). It rejects with
 * `LeaderElectionLost` when leadership ends without a stop signal: the process must exit, as client-go's does.
 */
export class Manager {
  readonly #o: ManagerOptions;
  readonly #runnables: Runnable[] = [];
  readonly #caches: SyncedCache[] = [];
  #started = false;

  constructor(options: ManagerOptions) {
    this.#o = options;
  }

  add(runnable: Runnable): this {
    if (this.#started) throw new TypeError('manager: add runnables before start');
    this.#runnables.push(runnable);
    return this;
  }

  /** Controllers wait for these caches (typically the informers also added as runnables). */
  addCache(cache: SyncedCache): this {
    this.#caches.push(cache);
    return this;
  }

  /** True once every registered cache has synced (for /readyz). */
  hasSynced(): boolean {
    return this.#caches.every((c) => c.hasSynced());
  }

  async start(signal: AbortSignal): Promise<void> {
    this.#started = true;
    const log = this.#o.logger.child({ component: 'manager' });
    const all = new AbortController();
    const stop = (): void => all.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    const running: Promise<void>[] = [];
    let failure: unknown;
    const run = (r: Runnable, s: AbortSignal): Promise<void> => {
      const p = r.start(s).catch((e: unknown) => {
        log.error({ err: e, runnable: r.name }, 'runnable failed, stopping the manager');
        failure ??= e;
        all.abort(e);
      });
      running.push(p);
      return p;
    };
    let lost = false;
    try {
      for (const r of this.#runnables.filter((x) => !x.needsLeader)) void run(r, all.signal);
      await Promise.all(this.#caches.map((c) => c.waitForSync(all.signal)));
      const leaders = this.#runnables.filter((x) => x.needsLeader);
      const le = this.#o.leaderElection;
      if (le === undefined) {
        for (const r of leaders) void run(r, all.signal);
        await new Promise<void>((resolve) =>
          all.signal.aborted
            ? resolve()
            : all.signal.addEventListener('abort', () => resolve(), { once: true }),
        );
      } else {
        const elector = new LeaderElector({
          ...le,
          logger: this.#o.logger,
          onStartedLeading: async (leading) => {
            const s = AbortSignal.any([leading, all.signal]);
            await Promise.all(leaders.map((r) => run(r, s)));
          },
        });
        await elector.run(all.signal);
        lost = !all.signal.aborted;
      }
    } catch (e: unknown) {
      if (!all.signal.aborted) throw e;
    } finally {
      all.abort(new Error('manager stopping'));
      signal.removeEventListener('abort', stop);
      await this.#drain(running, log);
    }
    if (failure !== undefined) throw toOperatorError(failure, KubeReasons.RunnableFailed);
    if (lost)
      throw new OperatorError(
        KubeReasons.LeaderElectionLost,
        'leader election lost: stopped every controller',
        { kind: 'transient' },
      );
  }

  async #drain(running: Promise<void>[], log: Logger): Promise<void> {
    const grace = this.#o.gracePeriodMs ?? 30_000;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), grace);
    });
    const result = await Promise.race([Promise.all(running).then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    if (result === 'timeout')
      log.warn({ gracePeriodMs: grace }, 'runnables did not stop within the grace period');
  }
}
