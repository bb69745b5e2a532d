import type { ErrorKind } from '../errors.ts';
import type { RateLimiter } from '../kube/index.ts';

/** When a failed sync is tried again. */
export interface RetryPolicy {
  /** First retry of a `transient` failure; doubles per consecutive failure. Default 1 s. */
  readonly transientBaseMs: number;
  /** Cap of the transient backoff. Default 5 min. */
  readonly transientMaxMs: number;
  /** Retry interval of a `waiting` failure (gateway starting or commissioning, designer session). Default 30 s. */
  readonly waitingMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  transientBaseMs: 1_000,
  transientMaxMs: 5 * 60_000,
  waitingMs: 30_000,
};

/** The rate-limiter key of the agent's one gateway. */
export const RETRY_KEY = 'gateway';

/**
 * The delay before a failed sync is tried again, or undefined for `stalling` (a person must change the
 * desired state or the environment; the agent tries again when the desired state changes). `transient`
 * takes the next step of `backoff` (an exponential rate limiter built from the policy, reset by the
 * caller on success and on every desired-state change).
 */
export function retryDelayMs(kind: ErrorKind, policy: RetryPolicy, backoff: RateLimiter): number | undefined {
  switch (kind) {
    case 'stalling':
      return undefined;
    case 'waiting':
      return policy.waitingMs;
    case 'transient':
      return backoff.when(RETRY_KEY);
  }
}
