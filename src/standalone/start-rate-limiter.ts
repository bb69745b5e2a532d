import { setTimeout as sleepTimer } from 'node:timers/promises';

export interface StartRateLimiterOptions {
  /** Sustained sync starts per minute (`spec.rateLimit.maxSyncsPerMinute`). */
  readonly perMinute: number;
  /** Starts allowed at once after a quiet period (`spec.rateLimit.burstLimit`; default `perMinute`). */
  readonly burst?: number | undefined;
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/**
 * A token bucket for sync starts (seed: "Rate Limiting & Concurrency Control"): `burst` tokens, refilled
 * at `perMinute` per minute. Callers wait in FIFO order; `maxConcurrentSyncs` is a separate bound.
 */
export class StartRateLimiter {
  readonly #ratePerMs: number;
  readonly #burst: number;
  readonly #now: () => number;
  readonly #sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
  #tokens: number;
  #last: number;
  #tail: Promise<void> = Promise.resolve();

  constructor(options: StartRateLimiterOptions) {
    if (!(options.perMinute > 0)) throw new RangeError('perMinute must be positive');
    this.#ratePerMs = options.perMinute / 60_000;
    this.#burst = Math.max(1, options.burst ?? options.perMinute);
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? ((ms, signal) => sleepTimer(ms, undefined, { signal }));
    this.#tokens = this.#burst;
    this.#last = this.#now();
  }

  /**
   * Resolves when this caller may start a sync, with how long it waited (ms; 0 when a token was free and
   * nobody was ahead); rejects when `signal` aborts while waiting.
   */
  acquire(signal?: AbortSignal): Promise<number> {
    const asked = this.#now();
    const turn = this.#tail.then(() => this.#take(signal)).then(() => this.#now() - asked);
    this.#tail = turn.then(
      () => {},
      () => {},
    );
    return turn;
  }

  async #take(signal: AbortSignal | undefined): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#now();
      this.#tokens = Math.min(this.#burst, this.#tokens + (now - this.#last) * this.#ratePerMs);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await this.#sleep(Math.ceil((1 - this.#tokens) / this.#ratePerMs), signal);
    }
  }
}
