import { describe, expect, it } from 'vitest';
import { StartRateLimiter } from './start-rate-limiter.ts';

function fakeClock() {
  let now = 0;
  return {
    now: () => now,
    sleep: async (ms: number) => {
      now += ms;
    },
  };
}

describe('StartRateLimiter', () => {
  it('lets a burst through at once, then one start per 60/perMinute seconds, in order', async () => {
    const clock = fakeClock();
    const limiter = new StartRateLimiter({ perMinute: 20, burst: 3, ...clock });
    const startedAt: Array<[number, number]> = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map(async (i) => {
        await limiter.acquire();
        startedAt.push([i, clock.now()]);
      }),
    );
    expect(startedAt).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 3000],
      [4, 6000],
    ]);
  });

  it('refills up to the burst after a quiet period', async () => {
    const clock = fakeClock();
    const limiter = new StartRateLimiter({ perMinute: 60, burst: 2, ...clock });
    await limiter.acquire();
    await limiter.acquire();
    await clock.sleep(60_000);
    const before = clock.now();
    await limiter.acquire();
    await limiter.acquire();
    expect(clock.now()).toBe(before);
    expect(await limiter.acquire()).toBe(1000);
    expect(clock.now()).toBe(before + 1000);
  });

  it('says how long each caller waited: 0 within the burst, the refill time after it', async () => {
    const clock = fakeClock();
    const limiter = new StartRateLimiter({ perMinute: 30, burst: 1, ...clock });
    expect(await Promise.all([limiter.acquire(), limiter.acquire(), limiter.acquire()])).toEqual([
      0, 2000, 4000,
    ]);
  });

  it('a waiting caller is released with an error when its signal aborts', async () => {
    const limiter = new StartRateLimiter({ perMinute: 1, burst: 1 });
    await limiter.acquire();
    const stop = new AbortController();
    const waiting = limiter.acquire(stop.signal);
    stop.abort();
    await expect(waiting).rejects.toThrow();
  });
});
