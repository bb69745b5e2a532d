import { describe, expect, it } from 'vitest';
import { IgnitionSyncAnnotations, PodAnnotations } from '../api/index.ts';
import {
  configMapEventKey,
  ignitionSyncNeedsReconcile,
  podEventKeys,
  profileEventKeys,
} from './event-mapping.ts';
import type { IgnitionSyncObject, PodObject } from './objects.ts';

const igs = (over: Partial<IgnitionSyncObject['metadata']> = {}, status?: object): IgnitionSyncObject => ({
  apiVersion: 'sync.ignition.io/v1alpha1',
  kind: 'IgnitionSync',
  metadata: { name: 'plant', namespace: 'site1', generation: 1, resourceVersion: '1', ...over },
  ...(status === undefined ? {} : { status }),
});
const pod = (
  name: string,
  annotations: Record<string, string>,
  over: Partial<PodObject['metadata']> = {},
): PodObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'site1', uid: `uid-${name}`, annotations, ...over },
});
const follows = (cr: string, profile = 'site') => ({
  [PodAnnotations.inject]: 'true',
  [PodAnnotations.crName]: cr,
  [PodAnnotations.syncProfile]: profile,
});

describe('ignitionSyncNeedsReconcile', () => {
  it('ignores a status write (only resourceVersion and status change)', () => {
    expect(ignitionSyncNeedsReconcile(igs(), igs({ resourceVersion: '2' }, { gatewaySummary: '1/1' }))).toBe(
      false,
    );
  });

  it('reconciles spec changes, webhook annotations, deletion and finalizer changes', () => {
    expect(ignitionSyncNeedsReconcile(igs(), igs({ generation: 2 }))).toBe(true);
    expect(
      ignitionSyncNeedsReconcile(
        igs(),
        igs({ annotations: { [IgnitionSyncAnnotations.requestedRef]: 'v2' } }),
      ),
    ).toBe(true);
    expect(ignitionSyncNeedsReconcile(igs(), igs({ deletionTimestamp: new Date() }))).toBe(true);
    expect(ignitionSyncNeedsReconcile(igs(), igs({ finalizers: ['x'] }))).toBe(true);
  });
});

describe('podEventKeys', () => {
  it('maps a gateway pod to the IgnitionSync it names, and ignores other pods', () => {
    expect(podEventKeys(undefined, pod('a', follows('plant')))).toEqual(['site1/plant']);
    expect(podEventKeys(pod('a', follows('plant')), undefined)).toEqual(['site1/plant']);
    expect(podEventKeys(undefined, pod('b', { [PodAnnotations.crName]: 'plant' }))).toEqual([]);
  });

  it('ignores status churn but not a changed profile or gateway name; a moved pod touches both', () => {
    const a = pod('a', follows('plant'));
    expect(podEventKeys(a, { ...a, status: { phase: 'Running' } } as PodObject)).toEqual([]);
    expect(podEventKeys(a, pod('a', follows('plant', 'other')))).toEqual(['site1/plant']);
    expect(podEventKeys(a, pod('a', follows('line2')))).toEqual(['site1/plant', 'site1/line2']);
    expect(podEventKeys(a, pod('a', follows('plant'), { uid: 'recreated' }))).toEqual(['site1/plant']);
  });
});

describe('configMapEventKey', () => {
  it('maps reports and the desired state by their cr-name label only', () => {
    const cm = (labels: Record<string, string>) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'site1', labels },
    });
    expect(
      configMapEventKey(
        cm({ 'ignition-sync.io/role': 'gateway-report', 'ignition-sync.io/cr-name': 'plant' }),
      ),
    ).toBe('site1/plant');
    expect(
      configMapEventKey(
        cm({ 'ignition-sync.io/role': 'desired-state', 'ignition-sync.io/cr-name': 'plant' }),
      ),
    ).toBe('site1/plant');
    expect(
      configMapEventKey(cm({ 'ignition-sync.io/role': 'other', 'ignition-sync.io/cr-name': 'plant' })),
    ).toBeUndefined();
    expect(configMapEventKey(cm({ 'ignition-sync.io/role': 'gateway-report' }))).toBeUndefined();
  });
});

describe('profileEventKeys', () => {
  it('finds every IgnitionSync of the namespace that a pod follows with this profile', () => {
    const pods = [
      pod('a', follows('plant', 'site')),
      pod('b', follows('line2', 'site')),
      pod('c', follows('line3', 'area')),
      pod('d', follows('plant', 'site'), { namespace: 'site2' }),
    ];
    const profile = {
      apiVersion: 'sync.ignition.io/v1alpha1',
      kind: 'SyncProfile',
      metadata: { name: 'site', namespace: 'site1' },
    };
    expect(profileEventKeys(profile, pods)).toEqual(['site1/line2', 'site1/plant']);
  });
});
