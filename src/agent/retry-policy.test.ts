import { describe, expect, it } from 'vitest';
import { ExponentialFailureRateLimiter } from '../kube/index.ts';
import { DEFAULT_RETRY_POLICY, RETRY_KEY, retryDelayMs } from './retry-policy.ts';

describe('retryDelayMs', () => {
  it('transient failures back off exponentially up to about 5 minutes; forget starts over', () => {
    const p = DEFAULT_RETRY_POLICY;
    const backoff = new ExponentialFailureRateLimiter(p.transientBaseMs, p.transientMaxMs);
    const delays = Array.from({ length: 11 }, () => retryDelayMs('transient', p, backoff));
    expect(delays).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 300_000, 300_000,
    ]);
    backoff.forget(RETRY_KEY);
    expect(retryDelayMs('transient', p, backoff)).toBe(1_000);
  });

  it('waiting retries at its interval without touching the backoff; stalling never retries', () => {
    const backoff = new ExponentialFailureRateLimiter(1_000, 300_000);
    expect(retryDelayMs('waiting', DEFAULT_RETRY_POLICY, backoff)).toBe(30_000);
    expect(retryDelayMs('stalling', DEFAULT_RETRY_POLICY, backoff)).toBeUndefined();
    expect(backoff.numRequeues(RETRY_KEY)).toBe(0);
  });
});
