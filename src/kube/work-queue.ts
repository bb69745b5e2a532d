import type { Clock, TimerHandle } from './clock.ts';
import { systemClock } from './clock.ts';
import { DelayHeap } from './delay-heap.ts';
import type { RateLimiter } from './rate-limiter.ts';
import { createDefaultControllerRateLimiter } from './rate-limiter.ts';

export interface WorkQueueOptions {
  readonly clock?: Clock;
  readonly rateLimiter?: RateLimiter;
}

/**
 * Per-key work queue with client-go semantics (`workqueue.Typed{,Delaying,RateLimiting}Interface`):
 *
 * - `queue` is a FIFO of keys, `dirty` the keys that need processing, `processing` the keys a worker holds.
 * - `add(key)` is a no-op when the key is already dirty (bursts coalesce). When the key is being processed it is
 *   only marked dirty and goes back into the queue on `done(key)`, so one key is never processed twice at once.
 * - `addAfter` keeps a min-heap of delayed keys behind one timer; `addRateLimited` asks the rate limiter for the delay.
 * - `forget(key)` clears the key's backoff (call it on success).
 * - `shutDown()` stops accepting keys; workers still receive what is queued, then `get()` resolves `undefined`.
 *   `shutDownWithDrain()` additionally waits until every processing key is `done`.
 */
export class WorkQueue {
  readonly #clock: Clock;
  readonly #rateLimiter: RateLimiter;
  readonly #queue: string[] = [];
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #waiting = new DelayHeap();
  readonly #getters: Array<(key: string | undefined) => void> = [];
  readonly #drainWaiters: Array<() => void> = [];
  #timer: { handle: TimerHandle; at: number } | undefined;
  #shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? systemClock;
    this.#rateLimiter = options.rateLimiter ?? createDefaultControllerRateLimiter(this.#clock);
  }

  get isShuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** Keys ready to be handed to a worker. */
  len(): number {
    return this.#queue.length;
  }

  /** Keys waiting for a delay to pass. */
  waitingLen(): number {
    return this.#waiting.size;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    if (this.#processing.has(key)) return;
    const getter = this.#getters.shift();
    if (getter !== undefined) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      getter(key);
      return;
    }
    this.#queue.push(key);
  }

  /** Adds `key` once `delayMs` has passed; a key already waiting keeps the earlier of both times. */
  addAfter(key: string, delayMs: number): void {
    if (this.#shuttingDown) return;
    if (delayMs <= 0) {
      this.add(key);
      return;
    }
    if (this.#waiting.push(key, this.#clock.now() + delayMs)) this.#armTimer();
  }

  /** Adds `key` after the rate limiter's delay (per-key exponential backoff, global token bucket). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.#rateLimiter.when(key));
  }

  forget(key: string): void {
    this.#rateLimiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#rateLimiter.numRequeues(key);
  }

  /** Resolves with the next key (marking it processing), or `undefined` once shut down and empty. */
  get(): Promise<string | undefined> {
    const key = this.#queue.shift();
    if (key !== undefined) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      return Promise.resolve(key);
    }
    if (this.#shuttingDown) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#getters.push(resolve));
  }

  /** Marks `key` finished; if it was added meanwhile, it goes back into the queue. */
  done(key: string): void {
    this.#processing.delete(key);
    if (this.#dirty.has(key)) {
      this.#dirty.delete(key);
      if (!this.#shuttingDown) this.add(key);
    }
    if (this.#processing.size === 0) {
      for (const resolve of this.#drainWaiters.splice(0)) resolve();
    }
  }

  shutDown(): void {
    this.#shuttingDown = true;
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer.handle);
    this.#timer = undefined;
    this.#waiting.clear();
    if (this.#queue.length === 0) {
      for (const getter of this.#getters.splice(0)) getter(undefined);
    }
  }

  /** Shuts down and resolves when no key is being processed any more. */
  shutDownWithDrain(): Promise<void> {
    this.shutDown();
    if (this.#processing.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#drainWaiters.push(resolve));
  }

  #armTimer(): void {
    const top = this.#waiting.peek();
    if (top === undefined) return;
    if (this.#timer !== undefined) {
      if (this.#timer.at <= top.readyAt) return;
      this.#clock.clearTimeout(this.#timer.handle);
    }
    const at = top.readyAt;
    this.#timer = { at, handle: this.#clock.setTimeout(() => this.#onTimer(), at - this.#clock.now()) };
  }

  #onTimer(): void {
    this.#timer = undefined;
    const now = this.#clock.now();
    for (
      let top = this.#waiting.peek();
      top !== undefined && top.readyAt <= now;
      top = this.#waiting.peek()
    ) {
      this.#waiting.pop();
      this.add(top.key);
    }
    this.#armTimer();
  }
}
