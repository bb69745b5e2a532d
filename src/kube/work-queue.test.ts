import { describe, expect, it } from 'vitest';
import { FakeClock, flushAsync } from '../../test/harness/kube/fake-clock.ts';
import { ExponentialFailureRateLimiter, TokenBucketRateLimiter } from './rate-limiter.ts';
import { WorkQueue } from './work-queue.ts';

function queueWithClock(): { q: WorkQueue; clock: FakeClock } {
  const clock = new FakeClock();
  return { q: new WorkQueue({ clock }), clock };
}

describe('WorkQueue', () => {
  it('a burst of adds for one key coalesces into one queued item', async () => {
    const { q } = queueWithClock();
    for (let i = 0; i < 100; i++) q.add('ns/a');
    q.add('ns/b');
    expect(q.len()).toBe(2);
    expect(await q.get()).toBe('ns/a');
    expect(await q.get()).toBe('ns/b');
    expect(q.len()).toBe(0);
  });

  it('a key added while processing is held back and requeued once on done', async () => {
    const { q } = queueWithClock();
    q.add('ns/a');
    const key = await q.get();
    for (let i = 0; i < 50; i++) q.add('ns/a');
    expect(q.len()).toBe(0);
    let second: string | undefined;
    const pending = q.get().then((k) => {
      second = k;
    });
    await flushAsync();
    expect(second).toBeUndefined();
    q.done(key ?? '');
    await pending;
    expect(second).toBe('ns/a');
    expect(q.len()).toBe(0);
  });

  it('addAfter makes the key available only once the delay has passed', async () => {
    const { q, clock } = queueWithClock();
    q.addAfter('ns/a', 1000);
    clock.advance(999);
    expect(q.len()).toBe(0);
    clock.advance(1);
    expect(q.len()).toBe(1);
    expect(await q.get()).toBe('ns/a');
  });

  it('a waiting key re-added earlier moves earlier, re-added later keeps its time', () => {
    const { q, clock } = queueWithClock();
    q.addAfter('ns/a', 1000);
    q.addAfter('ns/a', 5000);
    q.addAfter('ns/b', 500);
    q.addAfter('ns/b', 100);
    expect(q.waitingLen()).toBe(2);
    clock.advance(100);
    expect(q.len()).toBe(1);
    clock.advance(900);
    expect(q.len()).toBe(2);
    expect(q.waitingLen()).toBe(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('delayed keys fire in time order regardless of insertion order', async () => {
    const { q, clock } = queueWithClock();
    q.addAfter('c', 300);
    q.addAfter('a', 100);
    q.addAfter('b', 200);
    clock.advance(300);
    expect([await q.get(), await q.get(), await q.get()]).toEqual(['a', 'b', 'c']);
  });

  it('addRateLimited backs off exponentially per key until forget', async () => {
    const { q, clock } = queueWithClock();
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      q.addRateLimited('ns/a');
      let waited = 0;
      while (q.len() === 0 && waited < 1000) {
        clock.advance(1);
        waited += 1;
      }
      delays.push(waited);
      q.done((await q.get()) ?? '');
    }
    expect(delays).toEqual([5, 10, 20, 40, 80]);
    expect(q.numRequeues('ns/a')).toBe(5);
    q.forget('ns/a');
    expect(q.numRequeues('ns/a')).toBe(0);
  });

  it('shutDown hands out what is queued, then get resolves undefined; adds are ignored', async () => {
    const { q } = queueWithClock();
    q.add('a');
    q.shutDown();
    q.add('b');
    expect(await q.get()).toBe('a');
    expect(await q.get()).toBeUndefined();
  });

  it('shutDown wakes idle workers', async () => {
    const { q } = queueWithClock();
    const waiting = q.get();
    q.shutDown();
    expect(await waiting).toBeUndefined();
  });

  it('shutDownWithDrain waits for processing keys to be done', async () => {
    const { q } = queueWithClock();
    q.add('a');
    const key = await q.get();
    let drained = false;
    const drain = q.shutDownWithDrain().then(() => {
      drained = true;
    });
    await flushAsync();
    expect(drained).toBe(false);
    q.done(key ?? '');
    await drain;
    expect(drained).toBe(true);
  });
});

describe('rate limiters', () => {
  it('per-key exponential backoff is 5ms·2^n capped at 1000s, independent per key', () => {
    const r = new ExponentialFailureRateLimiter();
    const a = Array.from({ length: 4 }, () => r.when('a'));
    expect(a).toEqual([5, 10, 20, 40]);
    expect(r.when('b')).toBe(5);
    for (let i = 0; i < 60; i++) r.when('a');
    expect(r.when('a')).toBe(1_000_000);
  });

  it('the global token bucket allows a burst of 100, then 10 per second', () => {
    const clock = new FakeClock();
    const r = new TokenBucketRateLimiter({ clock });
    const burst = Array.from({ length: 100 }, (_, i) => r.when(`k${i}`));
    expect(burst.every((d) => d === 0)).toBe(true);
    expect(r.when('x')).toBe(100);
    expect(r.when('y')).toBe(200);
    clock.advance(1000); // 10 tokens back, 2 of them owed
    expect(Array.from({ length: 8 }, () => r.when('z'))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(r.when('z')).toBe(100);
  });
});
