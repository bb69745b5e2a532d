import { describe, expect, it } from 'vitest';
import { planFinalizerPatch } from './finalizers.ts';
import { controllerOwnerKey, withControllerReference } from './owner-references.ts';

const owner = {
  apiVersion: 'sync.ignition.io/v1alpha1',
  kind: 'IgnitionSync',
  metadata: { name: 'site', namespace: 'ns', uid: 'u-1' },
};

describe('owner references', () => {
  it('sets a controller reference and maps the dependent back to the owner key', () => {
    const refs = withControllerReference({ metadata: { name: 'cm', namespace: 'ns' } }, owner);
    expect(refs).toEqual([
      {
        apiVersion: owner.apiVersion,
        kind: 'IgnitionSync',
        name: 'site',
        uid: 'u-1',
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    expect(
      controllerOwnerKey(
        { metadata: { namespace: 'ns', ownerReferences: refs } },
        { apiGroup: 'sync.ignition.io', kind: 'IgnitionSync' },
      ),
    ).toBe('ns/site');
    expect(
      controllerOwnerKey(
        { metadata: { namespace: 'ns', ownerReferences: refs } },
        { apiGroup: 'apps', kind: 'IgnitionSync' },
      ),
    ).toBeUndefined();
  });

  it('refuses a second controller and a cross-namespace owner', () => {
    const refs = withControllerReference({ metadata: { name: 'cm', namespace: 'ns' } }, owner);
    const other = { ...owner, metadata: { ...owner.metadata, uid: 'u-2', name: 'other' } };
    expect(() =>
      withControllerReference({ metadata: { namespace: 'ns', ownerReferences: refs } }, other),
    ).toThrow(/already controlled by IgnitionSync\/site/);
    expect(() =>
      withControllerReference({ metadata: { name: 'cm', namespace: 'elsewhere' } }, owner),
    ).toThrow(/another namespace/);
  });
});

describe('planFinalizerPatch', () => {
  const obj = { metadata: { name: 'a', resourceVersion: '42', finalizers: ['other.io/x'] } };
  it('adds with the resourceVersion as precondition and is a no-op when present', () => {
    const patch = planFinalizerPatch(obj, 'sync.ignition.io/cleanup', 'add');
    expect(patch).toEqual({
      metadata: { finalizers: ['other.io/x', 'sync.ignition.io/cleanup'], resourceVersion: '42' },
    });
    expect(planFinalizerPatch(obj, 'other.io/x', 'add')).toBeUndefined();
  });
  it('removes only ours', () => {
    expect(planFinalizerPatch(obj, 'other.io/x', 'remove')).toEqual({
      metadata: { finalizers: [], resourceVersion: '42' },
    });
    expect(planFinalizerPatch(obj, 'sync.ignition.io/cleanup', 'remove')).toBeUndefined();
  });
});
