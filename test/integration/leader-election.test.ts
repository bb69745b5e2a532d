import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { KubeClient, objectPath } from '../../src/kube/index.ts';
import {
  type Candidate,
  createTestNamespace,
  kubeConfigFor,
  spawnCandidate,
  waitFor,
} from '../harness/kube/index.ts';

// Short timings so the suite stays fast; the rules are the same as with the 15 s / 10 s / 2 s defaults.
const TIMING = { leaseDurationMs: 4000, renewDeadlineMs: 3000, retryPeriodMs: 500 };
// Scheduling slack for child processes on 2 shared cores.
const SLACK_MS = 1500;

let client: KubeClient;
let namespace: string;
const running: Candidate[] = [];

beforeAll(async () => {
  client = new KubeClient(kubeConfigFor(inject('kube')));
  namespace = await createTestNamespace(client, 'leader');
});

afterEach(async () => {
  for (const c of running.splice(0)) {
    c.child.kill('SIGKILL');
    await c.exited;
  }
});

function start(leaseName: string, identity: string): Candidate {
  const c = spawnCandidate({ connection: inject('kube'), namespace, leaseName, identity, ...TIMING });
  running.push(c);
  return c;
}

interface LeaseBody {
  metadata: { resourceVersion: string };
  spec: { holderIdentity?: string; leaseTransitions?: number; renewTime?: string };
}
const leasePath = (name: string): string =>
  objectPath({ apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespace, name });

/** Leadership intervals from the candidates' reports; a killed leader's interval ends at the kill. */
function intervals(
  candidates: Candidate[],
  killedAt: Map<string, number>,
): Array<{ id: string; from: number; to: number }> {
  return candidates.flatMap((c) => {
    const starts = c.events.filter((e) => e.event === 'started-leading').map((e) => e.at);
    const stops = c.events.filter((e) => e.event === 'stopped-leading').map((e) => e.at);
    return starts.map((from, i) => ({
      id: c.identity,
      from,
      to: stops[i] ?? killedAt.get(c.identity) ?? Number.POSITIVE_INFINITY,
    }));
  });
}

function expectNoOverlap(list: Array<{ id: string; from: number; to: number }>): void {
  const sorted = [...list].sort((a, b) => a.from - b.from);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1];
    const cur = sorted[i];
    if (prev !== undefined && cur !== undefined)
      expect(cur.from, `${cur.id} started while ${prev.id} led`).toBeGreaterThanOrEqual(prev.to);
  }
}

async function firstLeader(a: Candidate, b: Candidate): Promise<[Candidate, Candidate]> {
  return waitFor('a leader', () => {
    if (a.events.some((e) => e.event === 'started-leading')) return [a, b] as [Candidate, Candidate];
    if (b.events.some((e) => e.event === 'started-leading')) return [b, a] as [Candidate, Candidate];
    return undefined;
  });
}

describe('leader election between two processes', () => {
  it('exactly one leads; killing the leader hands over once the lease has expired on the follower’s clock', async () => {
    const [a, b] = [start('handover', 'cand-a'), start('handover', 'cand-b')];
    const [leader, follower] = await firstLeader(a, b);
    // Both are campaigning for several retry periods: the follower must stay a follower.
    await waitFor('follower campaigning', () => follower.events.some((e) => e.event === 'campaigning'));
    const observeUntil = Date.now() + 4 * TIMING.retryPeriodMs;
    while (Date.now() < observeUntil) {
      const lease = await client.get<LeaseBody>(leasePath('handover'));
      expect(lease.spec.holderIdentity).toBe(leader.identity);
      expect(follower.events.some((e) => e.event === 'started-leading')).toBe(false);
      await new Promise((r) => setTimeout(r, 200));
    }
    const before = await client.get<LeaseBody>(leasePath('handover'));

    const killedAt = Date.now();
    leader.child.kill('SIGKILL');
    const took = await follower.waitForEvent('started-leading', { since: killedAt, timeoutMs: 20_000 });
    const handoverMs = took.at - killedAt;
    // client-go rule: the follower waits a full leaseDuration after it last saw the record change, so the
    // handover is at most leaseDuration + one retry period after the leader died, and never instant.
    expect(handoverMs).toBeLessThanOrEqual(TIMING.leaseDurationMs + TIMING.retryPeriodMs * 1.2 + SLACK_MS);
    expect(handoverMs).toBeGreaterThanOrEqual(TIMING.leaseDurationMs - TIMING.retryPeriodMs * 1.2 - 200);
    const after = await client.get<LeaseBody>(leasePath('handover'));
    expect(after.spec.holderIdentity).toBe(follower.identity);
    expect(after.spec.leaseTransitions).toBe((before.spec.leaseTransitions ?? 0) + 1);
    expect(after.spec.renewTime).toMatch(/\.\d{6}Z$/);
    expectNoOverlap(intervals([a, b], new Map([[leader.identity, killedAt]])));
  });

  it('SIGTERM releases the lease: controllers stop first and the other process takes over without waiting for expiry', async () => {
    const [a, b] = [start('release', 'rel-a'), start('release', 'rel-b')];
    const [leader, follower] = await firstLeader(a, b);
    await leader.waitForEvent('controller-started');
    const termAt = Date.now();
    leader.child.kill('SIGTERM');
    expect(await leader.exited).toBe(0);
    const stopped = await leader.waitForEvent('controller-stopped', { since: termAt });
    const released = await leader.waitForEvent('stopped-leading', { since: termAt });
    expect(stopped.at).toBeLessThanOrEqual(released.at);
    const took = await follower.waitForEvent('started-leading', { since: termAt });
    expect(took.at - termAt).toBeLessThan(TIMING.leaseDurationMs);
    expectNoOverlap(intervals([a, b], new Map()));
  });

  it('a leader whose lease is taken over stops its controllers and exits', async () => {
    const leader = start('stolen', 'victim');
    await leader.waitForEvent('controller-started');
    const lease = await client.get<LeaseBody>(leasePath('stolen'));
    const stolenAt = Date.now();
    await client.request({
      method: 'PUT',
      path: leasePath('stolen'),
      body: {
        ...lease,
        spec: {
          ...lease.spec,
          holderIdentity: 'intruder',
          renewTime: new Date().toISOString().replace('Z', '000Z'),
        },
      },
    });
    const stopped = await leader.waitForEvent('controller-stopped', { since: stolenAt });
    expect(stopped.at - stolenAt).toBeLessThan(TIMING.renewDeadlineMs);
    expect(await leader.exited).toBe(1);
    expect((await client.get<LeaseBody>(leasePath('stolen'))).spec.holderIdentity).toBe('intruder');
  });
});
