import { describe, expect, it } from 'vitest';
import { IgnitionSyncAnnotations } from '../api/index.ts';
import { effectiveRef, planRequestedRefCleanup, sameRef } from './effective-ref.ts';

const requested = (ref: string, extra: Record<string, string> = {}) => ({
  [IgnitionSyncAnnotations.requestedRef]: ref,
  [IgnitionSyncAnnotations.requestedAt]: '2026-01-01T00:00:00.000Z',
  [IgnitionSyncAnnotations.requestedBy]: 'webhook/github',
  ...extra,
});

describe('sameRef', () => {
  it.each([
    ['1.2.3', '1.2.3', true],
    ['v1.2.3', '1.2.3', true],
    ['refs/tags/v1.2.3', '1.2.3', true],
    ['refs/heads/main', 'main', true],
    ['v1.2.3', '1.2.4', false],
    ['version', 'ersion', false],
    ['main', 'refs/tags/main2', false],
  ])('%s vs %s → %s', (a, b, same) => {
    expect(sameRef(a, b)).toBe(same);
    expect(sameRef(b, a)).toBe(same);
  });
});

describe('effectiveRef', () => {
  it('follows spec.git.ref without a request', () => {
    expect(effectiveRef('main', undefined)).toEqual({ ref: 'main', source: 'spec' });
    expect(effectiveRef('main', { other: 'x' })).toEqual({ ref: 'main', source: 'spec' });
    expect(effectiveRef('main', requested('  '))).toEqual({ ref: 'main', source: 'spec' });
  });

  it('follows a request that differs from spec', () => {
    expect(effectiveRef('1.0.0', requested('refs/tags/1.1.0'))).toEqual({
      ref: 'refs/tags/1.1.0',
      source: 'requested',
    });
  });

  it('follows spec once it equals the request (v-prefix and refs/ prefix ignored)', () => {
    expect(effectiveRef('1.1.0', requested('v1.1.0'))).toEqual({ ref: '1.1.0', source: 'spec' });
    expect(effectiveRef('v1.1.0', requested('refs/tags/v1.1.0'))).toEqual({ ref: 'v1.1.0', source: 'spec' });
  });
});

describe('planRequestedRefCleanup', () => {
  it('removes the three request annotations with a resourceVersion precondition once spec caught up', () => {
    expect(planRequestedRefCleanup('1.1.0', requested('v1.1.0'), '42')).toEqual({
      metadata: {
        resourceVersion: '42',
        annotations: {
          [IgnitionSyncAnnotations.requestedRef]: null,
          [IgnitionSyncAnnotations.requestedAt]: null,
          [IgnitionSyncAnnotations.requestedBy]: null,
        },
      },
    });
  });

  it('keeps a request spec has not caught up with, and does nothing without one', () => {
    expect(planRequestedRefCleanup('1.0.0', requested('1.1.0'), '42')).toBeUndefined();
    expect(planRequestedRefCleanup('1.0.0', undefined, '42')).toBeUndefined();
    // requested-at alone (a push to the followed branch) is a record, not a pin
    expect(
      planRequestedRefCleanup('main', { [IgnitionSyncAnnotations.requestedAt]: 'x' }, '42'),
    ).toBeUndefined();
  });

  it('removes only the annotations that are present', () => {
    const plan = planRequestedRefCleanup('main', { [IgnitionSyncAnnotations.requestedRef]: 'main' }, '7');
    expect(plan?.metadata.annotations).toEqual({ [IgnitionSyncAnnotations.requestedRef]: null });
  });
});
