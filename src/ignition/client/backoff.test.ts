import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { computeBackoffDelayMs, sleep } from './backoff.ts';

describe('computeBackoffDelayMs', () => {
  it('stays within [0, min(max, base·2^retry)) (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 30 }),
        fc.double({ min: 0, max: 0.999999, noNaN: true }),
        (retry, r) => {
          const policy = { attempts: 5, baseMs: 100, maxMs: 3_000 };
          const d = computeBackoffDelayMs(retry, policy, () => r);
          return d >= 0 && d < Math.max(1, Math.min(3_000, 100 * 2 ** retry));
        },
      ),
    );
  });
  it('grows the ceiling exponentially', () => {
    const p = { attempts: 5, baseMs: 100, maxMs: 10_000 };
    expect([0, 1, 2, 3].map((r) => computeBackoffDelayMs(r, p, () => 0.999))).toEqual([99, 199, 399, 799]);
  });
});

describe('sleep', () => {
  it('rejects promptly when aborted', async () => {
    const ac = new AbortController();
    const p = sleep(10_000, ac.signal);
    ac.abort(new Error('stop'));
    await expect(p).rejects.toThrow('stop');
  });
});
