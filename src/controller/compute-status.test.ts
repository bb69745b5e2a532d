import { describe, expect, it } from 'vitest';
import type { DiscoveredGateway } from '../api/index.ts';
import { allGatewaysSyncedCondition, computeStatus, type Observation } from './compute-status.ts';

const C1 = '1'.repeat(40);
const C2 = '2'.repeat(40);
const T0 = new Date('2026-03-01T10:00:00Z');
const T1 = new Date('2026-03-01T10:05:00Z');

const gw = (podName: string, over: Partial<DiscoveredGateway> = {}): DiscoveredGateway => ({
  name: podName,
  namespace: 'site1',
  podName,
  syncStatus: 'Synced',
  commit: C1,
  ...over,
});
const obs = (over: Partial<Observation> = {}): Observation => ({
  generation: 3,
  paused: false,
  hostKeyVerificationDisabled: false,
  resolution: { kind: 'resolved', ref: 'v1', commit: C1 },
  published: { ref: 'v1', commit: C1 },
  gateways: [gw('a'), gw('b')],
  ...over,
});
const cond = (s: ReturnType<typeof computeStatus>, type: string) =>
  s.conditions?.find((c) => c.type === type);

describe('allGatewaysSyncedCondition', () => {
  it('is True only when every gateway is Synced at the published commit', () => {
    expect(allGatewaysSyncedCondition([gw('a'), gw('b')], { ref: 'v1', commit: C1 }, 1)).toMatchObject({
      status: 'True',
      reason: 'AllSynced',
      message: '2/2 gateways synced to 111111111111',
    });
    expect(
      allGatewaysSyncedCondition([gw('a'), gw('b', { commit: C2 })], { ref: 'v1', commit: C1 }, 1),
    ).toMatchObject({
      status: 'False',
      reason: 'SyncInProgress',
      message: '1/2 gateways synced to 111111111111',
    });
  });

  it('names the first failing gateway and uses its reason when it is a registered one', () => {
    const c = allGatewaysSyncedCondition(
      [gw('a'), gw('b', { syncStatus: 'Failed', reason: 'GatewayUnauthorized', error: '401' })],
      { ref: 'v1', commit: C1 },
      1,
    );
    expect(c).toMatchObject({
      status: 'False',
      reason: 'GatewayUnauthorized',
      message: '1 of 2 gateways failed; b: 401',
    });
    const odd = allGatewaysSyncedCondition(
      [gw('a', { syncStatus: 'Failed', reason: 'not a reason!' })],
      { ref: 'v1', commit: C1 },
      1,
    );
    expect(odd.reason).toBe('SyncFailed');
  });

  it('says why nothing can be synced: no gateways, nothing published', () => {
    expect(allGatewaysSyncedCondition([], { ref: 'v1', commit: C1 }, 1).reason).toBe('NoGatewaysDiscovered');
    expect(allGatewaysSyncedCondition([gw('a')], undefined, 1).reason).toBe('SyncInProgress');
  });
});

describe('computeStatus', () => {
  it('reports a converged IgnitionSync', () => {
    const s = computeStatus(
      undefined,
      obs({
        gateways: [
          gw('a', { lastSyncTime: '2026-03-01T09:00:00Z' }),
          gw('b', { lastSyncTime: '2026-03-01T09:30:00Z' }),
        ],
      }),
      T0,
    );
    expect(s).toMatchObject({
      observedGeneration: 3,
      resolvedRef: 'v1',
      resolvedCommit: C1,
      lastSyncTime: '2026-03-01T09:30:00Z',
      gatewayCount: 2,
      syncedGatewayCount: 2,
      gatewaySummary: '2/2',
    });
    expect(cond(s, 'Ready')).toMatchObject({ status: 'True', reason: 'Succeeded', observedGeneration: 3 });
    expect(cond(s, 'RefResolved')).toMatchObject({ status: 'True', reason: 'RefResolved' });
    expect(cond(s, 'Stalled')).toBeUndefined();
    expect(cond(s, 'HostKeyVerificationDisabled')).toBeUndefined();
  });

  it('keeps lastTransitionTime when nothing flips, and is idempotent', () => {
    const first = computeStatus(undefined, obs(), T0);
    const second = computeStatus(first, obs(), T1);
    expect(second).toEqual(first);
    const flipped = computeStatus(
      first,
      obs({ gateways: [gw('a'), gw('b', { syncStatus: 'Syncing' })] }),
      T1,
    );
    expect(cond(flipped, 'Ready')?.lastTransitionTime).toBe('2026-03-01T10:05:00Z');
    expect(cond(flipped, 'RefResolved')?.lastTransitionTime).toBe('2026-03-01T10:00:00Z');
    // lastSyncTime is when all were last synced; a rollout in progress keeps it
    expect(flipped.lastSyncTime).toBe(first.lastSyncTime);
  });

  it('keeps the published commit and reports the failure when resolving fails', () => {
    const failed = computeStatus(
      computeStatus(undefined, obs(), T0),
      obs({
        resolution: {
          kind: 'failed',
          ref: 'v2',
          failure: { reason: 'RefNotFound', kind: 'waiting', message: 'no v2' },
        },
      }),
      T1,
    );
    expect(failed.resolvedCommit).toBe(C1);
    expect(cond(failed, 'RefResolved')).toMatchObject({
      status: 'False',
      reason: 'RefNotFound',
      message: 'no v2',
    });
    expect(cond(failed, 'Ready')).toMatchObject({ status: 'False', reason: 'RefNotFound' });
    expect(cond(failed, 'Stalled')).toBeUndefined();
  });

  it('sets Stalled for a stalling failure and removes it once it is fixed', () => {
    const stalled = computeStatus(
      undefined,
      obs({
        resolution: {
          kind: 'failed',
          ref: 'v1',
          failure: { reason: 'GitAuthFailed', kind: 'stalling', message: 'denied' },
        },
        published: undefined,
      }),
      T0,
    );
    expect(cond(stalled, 'Stalled')).toMatchObject({ status: 'True', reason: 'GitAuthFailed' });
    expect(stalled.resolvedCommit).toBeUndefined();
    expect(cond(computeStatus(stalled, obs(), T1), 'Stalled')).toBeUndefined();
  });

  it('reports paused over everything else and leaves RefResolved as it was', () => {
    const before = computeStatus(undefined, obs(), T0);
    const paused = computeStatus(
      before,
      obs({ paused: true, resolution: { kind: 'kept', ref: 'v1', commit: C1 } }),
      T1,
    );
    expect(cond(paused, 'Ready')).toMatchObject({ status: 'False', reason: 'Paused' });
    expect(cond(paused, 'RefResolved')).toEqual(cond(before, 'RefResolved'));
    expect(cond(paused, 'AllGatewaysSynced')?.status).toBe('True');
  });

  it('says so when SSH host keys are not verified', () => {
    const s = computeStatus(undefined, obs({ hostKeyVerificationDisabled: true }), T0);
    expect(cond(s, 'HostKeyVerificationDisabled')).toMatchObject({
      status: 'True',
      reason: 'KnownHostsMissing',
    });
    expect(cond(computeStatus(s, obs(), T1), 'HostKeyVerificationDisabled')).toBeUndefined();
  });

  it('keeps fields it does not manage', () => {
    const prev = { pendingApproval: { ref: 'v9' } };
    expect(computeStatus(prev, obs(), T0).pendingApproval).toEqual({ ref: 'v9' });
  });
});
