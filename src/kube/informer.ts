import type { KubernetesObject } from '@kubernetes/client-node';
import { Watch } from '@kubernetes/client-node';
import { toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { Clock, TimerHandle } from './clock.ts';
import { sleep, systemClock } from './clock.ts';
import type { KubeClient, KubeStatus, ResourceRef } from './kube-client.ts';
import { apiStatusCode, collectionPath } from './kube-client.ts';
import { objectKey } from './object-key.ts';
import type { Runnable } from './runnable.ts';

/** Synchronous callbacks: enqueue keys only, never do work here. */
export interface InformerHandlers<T> {
  readonly onAdd?: (obj: T) => void;
  readonly onUpdate?: (oldObj: T, newObj: T) => void;
  readonly onDelete?: (obj: T) => void;
}

export interface InformerOptions {
  readonly client: KubeClient;
  readonly resource: ResourceRef;
  readonly logger: Logger;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  readonly clock?: Clock;
  /** Server-side watch timeout, randomised in [t, 2t) like client-go. Default 300 s. */
  readonly watchTimeoutSeconds?: number;
  /** Restart a watch that delivered nothing (not even a bookmark) for this long. Default 5 min. */
  readonly watchdogMs?: number;
  /** Re-deliver every cached object as an update this often (client-go resync). Off by default. */
  readonly resyncPeriodMs?: number;
  /** Backoff after list/watch errors: base·2^n capped at max, reset after a healthy watch. Default 500 ms / 30 s. */
  readonly backoffBaseMs?: number;
  readonly backoffMaxMs?: number;
}

/** Counters for observability and tests. */
export interface InformerStats {
  lists: number;
  watches: number;
  expired: number;
  errors: number;
  watchdogRestarts: number;
}

interface ListResponse<T> {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly resourceVersion?: string; readonly continue?: string };
  readonly items: T[];
}

type WatchEnd =
  | { readonly kind: 'closed' }
  | { readonly kind: 'expired' }
  | { readonly kind: 'error'; readonly error: unknown };

/**
 * List+watch cache of one resource, keyed `namespace/name` (client-go reflector + indexer):
 * lists, then watches from the list's resourceVersion with bookmarks and a server-side timeout; a closed watch
 * resumes from the last seen resourceVersion; 410 Gone relists and emits the difference; other errors retry with
 * exponential backoff; a silent watch is restarted by a watchdog. `start()` runs until its signal aborts.
 */
export class Informer<T extends KubernetesObject = KubernetesObject> implements Runnable {
  readonly name: string;
  readonly needsLeader = false;
  readonly stats: InformerStats = { lists: 0, watches: 0, expired: 0, errors: 0, watchdogRestarts: 0 };
  readonly #options: InformerOptions;
  readonly #clock: Clock;
  readonly #log: Logger;
  readonly #cache = new Map<string, T>();
  readonly #handlers: InformerHandlers<T>[] = [];
  readonly #syncWaiters: Array<() => void> = [];
  #resourceVersion: string | undefined;
  #synced = false;
  #failures = 0;
  #events = 0;

  constructor(options: InformerOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
    this.name = `informer/${collectionPath(options.resource)}`;
    this.#log = options.logger.child({ informer: collectionPath(options.resource) });
  }

  addHandlers(handlers: InformerHandlers<T>): void {
    this.#handlers.push(handlers);
  }

  /** True once the first list has filled the cache. */
  hasSynced(): boolean {
    return this.#synced;
  }

  /** Resolves when the cache has synced; rejects if `signal` aborts first. */
  waitForSync(signal?: AbortSignal): Promise<void> {
    if (this.#synced) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal?.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#syncWaiters.push(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** The cached object for `namespace/name` (or `name` for cluster-scoped). Do not mutate it. */
  get(key: string): T | undefined {
    return this.#cache.get(key);
  }

  list(): T[] {
    return [...this.#cache.values()];
  }

  keys(): string[] {
    return [...this.#cache.keys()];
  }

  /** The last resourceVersion the informer saw. */
  get resourceVersion(): string | undefined {
    return this.#resourceVersion;
  }

  async start(signal: AbortSignal): Promise<void> {
    const resync = this.#startResync(signal);
    let needList = true;
    try {
      while (!signal.aborted) {
        try {
          if (needList) await this.#relist(signal);
          needList = false;
          const startedAt = this.#clock.now();
          const eventsBefore = this.#events;
          const end = await this.#watch(signal);
          const silentQuickClose =
            end.kind === 'closed' && this.#events === eventsBefore && this.#clock.now() - startedAt < 1000;
          if (silentQuickClose && !signal.aborted) {
            throw new Error('watch closed immediately without events');
          }
          if (end.kind === 'expired') {
            this.stats.expired += 1;
            this.#log.info({ resourceVersion: this.#resourceVersion }, 'watch expired, relisting');
            needList = true;
          } else if (end.kind === 'error') {
            throw end.error;
          }
        } catch (e: unknown) {
          if (signal.aborted) break;
          if (apiStatusCode(e) === 410) needList = true;
          await this.#backoff(e, signal);
        }
      }
    } finally {
      if (resync !== undefined) this.#clock.clearTimeout(resync.handle);
    }
  }

  async #backoff(e: unknown, signal: AbortSignal): Promise<void> {
    this.stats.errors += 1;
    const base = this.#options.backoffBaseMs ?? 500;
    const delay = Math.min(base * 2 ** this.#failures, this.#options.backoffMaxMs ?? 30_000);
    this.#failures += 1;
    const err = toOperatorError(e, KubeReasons.WatchFailed);
    this.#log.warn(
      { err: { message: err.message }, reason: err.reason, delayMs: delay },
      'list/watch failed, retrying',
    );
    await sleep(this.#clock, delay * (0.8 + Math.random() * 0.4), signal).catch(() => undefined);
  }

  async #relist(signal: AbortSignal): Promise<void> {
    const items = new Map<string, T>();
    let resourceVersion: string | undefined;
    let cont: string | undefined;
    do {
      const page = await this.#options.client.request<ListResponse<T>>({
        method: 'GET',
        path: collectionPath(this.#options.resource),
        query: {
          labelSelector: this.#options.labelSelector,
          fieldSelector: this.#options.fieldSelector,
          limit: 500,
          continue: cont,
        },
        signal,
      });
      const kind = page.kind?.replace(/List$/, '');
      for (const item of page.items) {
        const obj = { apiVersion: page.apiVersion, kind, ...item } as T;
        items.set(objectKey(obj), obj);
      }
      resourceVersion = page.metadata?.resourceVersion;
      cont = page.metadata?.continue || undefined;
    } while (cont !== undefined);
    this.stats.lists += 1;
    this.#replace(items);
    this.#resourceVersion = resourceVersion;
    if (!this.#synced) {
      this.#synced = true;
      for (const resolve of this.#syncWaiters.splice(0)) resolve();
    }
  }

  /** Swaps the cache for a fresh list and emits the difference (adds, updates, deletes). */
  #replace(items: Map<string, T>): void {
    const old = new Map(this.#cache);
    this.#cache.clear();
    for (const [key, obj] of items) {
      this.#cache.set(key, obj);
      const prev = old.get(key);
      old.delete(key);
      if (prev === undefined) this.#emit('add', obj);
      else if (prev.metadata?.resourceVersion !== obj.metadata?.resourceVersion)
        this.#emit('update', obj, prev);
    }
    for (const gone of old.values()) this.#emit('delete', gone);
  }

  #emit(type: 'add' | 'update' | 'delete', obj: T, prev?: T): void {
    for (const h of this.#handlers) {
      try {
        if (type === 'add') h.onAdd?.(obj);
        else if (type === 'update') h.onUpdate?.(prev ?? obj, obj);
        else h.onDelete?.(obj);
      } catch (e: unknown) {
        this.#log.error({ err: e }, 'informer handler threw');
      }
    }
  }

  #watch(signal: AbortSignal): Promise<WatchEnd> {
    const timeout = this.#options.watchTimeoutSeconds ?? 300;
    const watchdogMs = this.#options.watchdogMs ?? 300_000;
    this.stats.watches += 1;
    return new Promise<WatchEnd>((resolve) => {
      let settled = false;
      let abort: AbortController | undefined;
      let watchdog: TimerHandle | undefined;
      const finish = (end: WatchEnd): void => {
        if (settled) return;
        settled = true;
        if (watchdog !== undefined) this.#clock.clearTimeout(watchdog);
        signal.removeEventListener('abort', onAbort);
        abort?.abort();
        resolve(end);
      };
      const arm = (): void => {
        if (watchdog !== undefined) this.#clock.clearTimeout(watchdog);
        watchdog = this.#clock.setTimeout(() => {
          this.stats.watchdogRestarts += 1;
          this.#log.warn({ watchdogMs }, 'watch silent, restarting');
          finish({ kind: 'closed' });
        }, watchdogMs);
      };
      const onAbort = (): void => finish({ kind: 'closed' });
      signal.addEventListener('abort', onAbort, { once: true });
      arm();
      const query = {
        resourceVersion: this.#resourceVersion,
        allowWatchBookmarks: true,
        timeoutSeconds: timeout + Math.floor(Math.random() * timeout),
        labelSelector: this.#options.labelSelector,
        fieldSelector: this.#options.fieldSelector,
      };
      const onEvent = (type: string, obj: unknown): void => {
        if (settled) return;
        arm();
        const end = this.#handleEvent(type, obj);
        if (end !== undefined) finish(end);
      };
      const onDone = (err: unknown): void => finish(this.#classifyDone(err));
      new Watch(this.#options.client.kubeConfig)
        .watch(collectionPath(this.#options.resource), query, onEvent, onDone)
        .then((controller) => {
          abort = controller;
          if (settled) controller.abort();
        })
        .catch((e: unknown) => finish({ kind: 'error', error: e }));
    });
  }

  #classifyDone(err: unknown): WatchEnd {
    if (err === null || err === undefined) return { kind: 'closed' };
    if (err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError'))
      return { kind: 'closed' };
    if (apiStatusCode(err) === 410) return { kind: 'expired' };
    return { kind: 'error', error: err };
  }

  /** Applies one watch event; returns how the watch ends when the event ends it. */
  #handleEvent(type: string, raw: unknown): WatchEnd | undefined {
    if (type === 'ERROR') {
      const status = raw as KubeStatus;
      if (status.code === 410) return { kind: 'expired' };
      return {
        kind: 'error',
        error: Object.assign(new Error(`watch error: ${status.message ?? 'unknown'}`), {
          statusCode: status.code,
        }),
      };
    }
    const obj = raw as T;
    const rv = obj.metadata?.resourceVersion;
    if (rv !== undefined) this.#resourceVersion = rv;
    this.#failures = 0;
    this.#events += 1;
    if (type === 'BOOKMARK') return undefined;
    const key = objectKey(obj);
    const prev = this.#cache.get(key);
    if (type === 'DELETED') {
      this.#cache.delete(key);
      this.#emit('delete', obj);
    } else if (type === 'ADDED' || type === 'MODIFIED') {
      this.#cache.set(key, obj);
      if (prev === undefined) this.#emit('add', obj);
      else this.#emit('update', obj, prev);
    }
    return undefined;
  }

  #startResync(signal: AbortSignal): { handle: TimerHandle } | undefined {
    const period = this.#options.resyncPeriodMs;
    if (period === undefined || period <= 0) return undefined;
    const state = { handle: this.#clock.setTimeout(() => tick(), period) };
    const tick = (): void => {
      if (signal.aborted) return;
      if (this.#synced) for (const obj of this.#cache.values()) this.#emit('update', obj, obj);
      state.handle = this.#clock.setTimeout(tick, period);
    };
    return state;
  }
}
