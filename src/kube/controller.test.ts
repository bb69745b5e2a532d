import { describe, expect, it } from 'vitest';
import { FakeClock, flushAsync } from '../../test/harness/kube/fake-clock.ts';
import { OperatorError } from '../errors.ts';
import { createSilentLogger } from '../observability/index.ts';
import { Controller, type ReconcileOutcome, type Reconciler } from './controller.ts';
import { WorkQueue } from './work-queue.ts';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = (): void => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !check(); i++) await flushAsync();
  expect(check()).toBe(true);
}

function startController(reconcile: Reconciler, options: { workers?: number; clock?: FakeClock } = {}) {
  const clock = options.clock ?? new FakeClock();
  const outcomes: ReconcileOutcome[] = [];
  const controller = new Controller({
    name: 'test',
    reconcile,
    logger: createSilentLogger(),
    workers: options.workers ?? 4,
    clock,
    queue: new WorkQueue({ clock }),
    onReconciled: (o) => outcomes.push(o),
  });
  const stop = new AbortController();
  const running = controller.start(stop.signal);
  return {
    controller,
    clock,
    outcomes,
    stop: async () => {
      stop.abort();
      await running;
    },
  };
}

describe('Controller', () => {
  it('a burst of events for one key yields one reconcile at a time and coalesces', async () => {
    let active = 0;
    let maxActive = 0;
    let calls = 0;
    const gates: Array<() => void> = [];
    const { controller, stop } = startController(async () => {
      calls += 1;
      active += 1;
      maxActive = Math.max(maxActive, active);
      const gate = deferred();
      gates.push(gate.resolve);
      await gate.promise;
      active -= 1;
      return undefined;
    });
    controller.enqueue('ns/a');
    await until(() => calls === 1);
    for (let i = 0; i < 100; i++) controller.enqueue('ns/a');
    await flushAsync();
    expect(calls).toBe(1);
    gates.shift()?.();
    await until(() => calls === 2);
    gates.shift()?.();
    await until(() => active === 0);
    await flushAsync();
    expect(calls).toBe(2);
    expect(maxActive).toBe(1);
    await stop();
  });

  it('different keys reconcile in parallel on several workers', async () => {
    const gate = deferred();
    let active = 0;
    let maxActive = 0;
    const { controller, stop } = startController(async () => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      await gate.promise;
      active -= 1;
      return undefined;
    });
    for (const k of ['a', 'b', 'c']) controller.enqueue(`ns/${k}`);
    await until(() => active === 3);
    gate.resolve();
    await until(() => active === 0);
    expect(maxActive).toBe(3);
    await stop();
  });

  it('failures back off exponentially and a success resets the backoff', async () => {
    const clock = new FakeClock();
    const start = clock.now();
    const attempts: number[] = [];
    const { controller, stop } = startController(
      async () => {
        attempts.push(clock.now() - start);
        if (attempts.length <= 4) throw new Error('boom');
        return undefined;
      },
      { clock },
    );
    controller.enqueue('ns/a');
    await until(() => attempts.length === 1);
    for (let i = 0; i < 200 && attempts.length < 5; i++) {
      clock.advance(1);
      await flushAsync();
    }
    expect(attempts).toEqual([0, 5, 15, 35, 75]);
    expect(controller.queue.numRequeues('ns/a')).toBe(0);
    await stop();
  });

  it('requeueAfterMs reconciles again after the delay, not before', async () => {
    const clock = new FakeClock();
    let calls = 0;
    const { controller, outcomes, stop } = startController(
      async () => {
        calls += 1;
        return calls === 1 ? { requeueAfterMs: 30_000 } : undefined;
      },
      { clock },
    );
    controller.enqueue('ns/a');
    await until(() => calls === 1);
    clock.advance(29_999);
    await flushAsync();
    expect(calls).toBe(1);
    clock.advance(1);
    await until(() => calls === 2);
    expect(outcomes.map((o) => o.result)).toEqual(['requeueAfter', 'success']);
    await stop();
  });

  it('stalling errors are not retried; waiting errors requeue after their delay', async () => {
    const clock = new FakeClock();
    const seen: string[] = [];
    const { controller, outcomes, stop } = startController(
      async (key) => {
        seen.push(key);
        if (key === 'ns/stall')
          throw new OperatorError('ProfileInvalid', 'profile invalid: x', { kind: 'stalling' });
        if (seen.filter((k) => k === key).length === 1) {
          throw new OperatorError('NoGatewaysDiscovered', 'no gateways', {
            kind: 'waiting',
            details: { requeueAfterMs: 10_000 },
          });
        }
        return undefined;
      },
      { clock },
    );
    controller.enqueue('ns/stall');
    controller.enqueue('ns/wait');
    await until(() => outcomes.length === 2);
    clock.advance(9_999);
    await flushAsync();
    expect(seen.length).toBe(2);
    clock.advance(1_000_000);
    await until(() => outcomes.length === 3);
    await flushAsync();
    expect(outcomes.map((o) => `${o.key}:${o.result}:${o.reason ?? ''}`).sort()).toEqual([
      'ns/stall:stalled:ProfileInvalid',
      'ns/wait:success:',
      'ns/wait:waiting:NoGatewaysDiscovered',
    ]);
    await stop();
  });

  it('stop lets the in-flight reconcile finish and aborts its signal', async () => {
    const gate = deferred();
    let aborted = false;
    let finished = false;
    const { controller, stop } = startController(async (_key, ctx) => {
      ctx.signal.addEventListener('abort', () => {
        aborted = true;
        gate.resolve();
      });
      await gate.promise;
      finished = true;
      return undefined;
    });
    controller.enqueue('ns/a');
    await until(() => !finished && controller.queue.len() === 0);
    await flushAsync();
    await stop();
    expect(aborted).toBe(true);
    expect(finished).toBe(true);
  });
});
