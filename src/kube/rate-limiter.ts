import type { Clock } from './clock.ts';
import { systemClock } from './clock.ts';

/** Decides how long a key waits before it is retried (client-go `workqueue.TypedRateLimiter`). */
export interface RateLimiter {
  /** Delay in ms for the next retry of `key`; counts the attempt. */
  when(key: string): number;
  /** Clears the failure history of `key` (call on success). */
  forget(key: string): void;
  /** How many times `key` has been rate-limited since the last forget. */
  numRequeues(key: string): number;
}

/** Per-key exponential backoff: baseMs·2^failures, capped at maxMs (client-go ItemExponentialFailureRateLimiter). */
export class ExponentialFailureRateLimiter implements RateLimiter {
  readonly #failures = new Map<string, number>();
  readonly #baseMs: number;
  readonly #maxMs: number;

  constructor(baseMs = 5, maxMs = 1_000_000) {
    this.#baseMs = baseMs;
    this.#maxMs = maxMs;
  }

  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    const delay = this.#baseMs * 2 ** failures;
    return Number.isFinite(delay) ? Math.min(delay, this.#maxMs) : this.#maxMs;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }
}

/**
 * Global token bucket shared by all keys (client-go BucketRateLimiter, golang.org/x/time/rate semantics):
 * each call reserves a token; when the bucket is empty the reservation lies in the future.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  readonly #qps: number;
  readonly #burst: number;
  readonly #clock: Clock;
  #tokens: number;
  #last: number;

  constructor(options: { qps?: number; burst?: number; clock?: Clock } = {}) {
    this.#qps = options.qps ?? 10;
    this.#burst = options.burst ?? 100;
    this.#clock = options.clock ?? systemClock;
    this.#tokens = this.#burst;
    this.#last = this.#clock.now();
  }

  when(_key: string): number {
    const now = this.#clock.now();
    this.#tokens = Math.min(this.#burst, this.#tokens + ((now - this.#last) / 1000) * this.#qps);
    this.#last = now;
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#qps) * 1000);
  }

  forget(_key: string): void {}

  numRequeues(_key: string): number {
    return 0;
  }
}

/** The longest delay of several limiters (client-go MaxOfRateLimiter). */
export class MaxOfRateLimiter implements RateLimiter {
  readonly #limiters: readonly RateLimiter[];

  constructor(...limiters: RateLimiter[]) {
    this.#limiters = limiters;
  }

  when(key: string): number {
    let delay = 0;
    for (const limiter of this.#limiters) delay = Math.max(delay, limiter.when(key));
    return delay;
  }

  forget(key: string): void {
    for (const limiter of this.#limiters) limiter.forget(key);
  }

  numRequeues(key: string): number {
    let n = 0;
    for (const limiter of this.#limiters) n = Math.max(n, limiter.numRequeues(key));
    return n;
  }
}

/** controller-runtime's DefaultTypedControllerRateLimiter: max(5ms·2^n capped at 1000s, 10 qps / burst 100). */
export function createDefaultControllerRateLimiter(clock: Clock = systemClock): RateLimiter {
  return new MaxOfRateLimiter(
    new ExponentialFailureRateLimiter(5, 1_000_000),
    new TokenBucketRateLimiter({ qps: 10, burst: 100, clock }),
  );
}
