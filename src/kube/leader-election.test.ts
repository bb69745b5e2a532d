import { describe, expect, it } from 'vitest';
import { FakeClock, flushAsync } from '../../test/harness/kube/fake-clock.ts';
import { createSilentLogger } from '../observability/index.ts';
import { KubeApiError, type KubeRequest } from './kube-client.ts';
import { LeaderElector, type LeaseSpec } from './leader-election.ts';

/** An in-memory Lease endpoint with resourceVersion preconditions, like the apiserver's. */
class FakeLeaseApi {
  lease:
    | { metadata: { name: string; namespace: string; resourceVersion: string }; spec: LeaseSpec }
    | undefined;
  failing = false;
  #rv = 1;

  set(spec: LeaseSpec): void {
    this.#rv += 1;
    this.lease = { metadata: { name: 'l', namespace: 'ns', resourceVersion: String(this.#rv) }, spec };
  }

  async request<T>(req: KubeRequest): Promise<T> {
    await Promise.resolve();
    if (this.failing) throw new KubeApiError(503, 'unavailable', undefined);
    if (req.method === 'GET') {
      if (this.lease === undefined) throw new KubeApiError(404, 'not found', { reason: 'NotFound' });
      return structuredClone(this.lease) as T;
    }
    const body = req.body as { metadata: { resourceVersion?: string }; spec: LeaseSpec };
    if (req.method === 'POST') {
      if (this.lease !== undefined) throw new KubeApiError(409, 'exists', { reason: 'AlreadyExists' });
    } else if (body.metadata.resourceVersion !== this.lease?.metadata.resourceVersion) {
      throw new KubeApiError(409, 'conflict', { reason: 'Conflict' });
    }
    this.set(body.spec);
    return structuredClone(this.lease) as T;
  }
}

const TIMING = { leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 };

function elector(api: FakeLeaseApi, clock: FakeClock, events: string[]) {
  const le = new LeaderElector({
    client: api,
    namespace: 'ns',
    name: 'l',
    identity: 'me',
    logger: createSilentLogger(),
    clock,
    ...TIMING,
    onStartedLeading: (signal) => {
      events.push(`lead@${clock.now()}`);
      signal.addEventListener('abort', () => events.push(`abort@${clock.now()}`));
    },
    onStoppedLeading: () => events.push(`stopped@${clock.now()}`),
  });
  const stop = new AbortController();
  const running = le.run(stop.signal);
  return { le, stop, running };
}

async function tick(clock: FakeClock, totalMs: number, stepMs = 100): Promise<void> {
  for (let t = 0; t < totalMs; t += stepMs) {
    clock.advance(stepMs);
    await flushAsync();
  }
}

describe('LeaderElector (client-go rules, fake clock)', () => {
  it('creates a missing Lease and leads, with 6-digit MicroTimes', async () => {
    const clock = new FakeClock(0);
    const api = new FakeLeaseApi();
    const events: string[] = [];
    const { le, stop, running } = elector(api, clock, events);
    await tick(clock, 100);
    expect(le.isLeader()).toBe(true);
    expect(api.lease?.spec).toMatchObject({
      holderIdentity: 'me',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
    expect(api.lease?.spec.renewTime).toBe('1970-01-01T00:00:00.000000Z');
    stop.abort();
    await running;
  });

  it('never takes over a lease whose record keeps changing, however old its renewTime looks (clock skew)', async () => {
    const clock = new FakeClock(Date.UTC(2026, 0, 1));
    const api = new FakeLeaseApi();
    api.set({
      holderIdentity: 'other',
      leaseDurationSeconds: 15,
      renewTime: '2000-01-01T00:00:00.000000Z',
      leaseTransitions: 3,
    });
    const events: string[] = [];
    const { le, stop, running } = elector(api, clock, events);
    for (let i = 0; i < 60; i++) {
      await tick(clock, 1000);
      // The holder renews (its clock is 26 years behind ours, which must not matter).
      api.set({
        ...api.lease?.spec,
        renewTime: `2000-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000Z`,
      });
    }
    expect(le.isLeader()).toBe(false);
    expect(events).toEqual([]);
    stop.abort();
    await running;
  });

  it('takes over a lease unchanged for leaseDuration on our clock, not before, and counts the transition', async () => {
    const clock = new FakeClock(0);
    const api = new FakeLeaseApi();
    api.set({
      holderIdentity: 'dead',
      leaseDurationSeconds: 15,
      renewTime: '2099-01-01T00:00:00.000000Z',
      leaseTransitions: 3,
    });
    const events: string[] = [];
    const { le, stop, running } = elector(api, clock, events);
    await tick(clock, 14_000);
    expect(le.isLeader()).toBe(false);
    await tick(clock, 1000 + 2 * TIMING.retryPeriodMs * 1.2);
    expect(le.isLeader()).toBe(true);
    const leadAt = Number(events[0]?.split('@')[1]);
    expect(leadAt).toBeGreaterThanOrEqual(TIMING.leaseDurationMs);
    expect(leadAt).toBeLessThanOrEqual(TIMING.leaseDurationMs + TIMING.retryPeriodMs * 1.2 + 100);
    expect(api.lease?.spec).toMatchObject({ holderIdentity: 'me', leaseTransitions: 4 });
    stop.abort();
    await running;
  });

  it('stops leading once renewals fail for renewDeadline', async () => {
    const clock = new FakeClock(0);
    const api = new FakeLeaseApi();
    const events: string[] = [];
    const { running } = elector(api, clock, events);
    await tick(clock, 100);
    api.failing = true;
    const failedAt = clock.now();
    await tick(clock, TIMING.renewDeadlineMs + 2 * TIMING.retryPeriodMs);
    await running;
    const abortAt = Number(events.find((e) => e.startsWith('abort@'))?.split('@')[1]);
    expect(abortAt - failedAt).toBeGreaterThanOrEqual(TIMING.renewDeadlineMs - TIMING.retryPeriodMs);
    expect(abortAt - failedAt).toBeLessThanOrEqual(TIMING.renewDeadlineMs + TIMING.retryPeriodMs);
    expect(events.at(-1)).toMatch(/^stopped@/);
    expect(api.lease?.spec.holderIdentity).toBe('me'); // not released: it could not reach the server
  });

  it('releases the lease on stop by clearing holderIdentity', async () => {
    const clock = new FakeClock(0);
    const api = new FakeLeaseApi();
    const { stop, running } = elector(api, clock, []);
    await tick(clock, 100);
    stop.abort();
    await running;
    expect(api.lease?.spec.holderIdentity).toBe('');
  });
});
