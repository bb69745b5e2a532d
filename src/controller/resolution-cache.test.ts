import { describe, expect, it } from 'vitest';
import { ResolutionCache } from './resolution-cache.ts';

const inputs = { repo: 'file:///r.git', ref: 'main', generation: 1, requestedAt: undefined };
const ok = { kind: 'resolved' as const, ref: 'main', commit: 'a'.repeat(40) };
const failed = {
  kind: 'failed' as const,
  ref: 'main',
  failure: { reason: 'GitUnreachable' as const, kind: 'transient' as const, message: 'down' },
};

describe('ResolutionCache', () => {
  it('reuses an answer within the polling interval and asks git again after it', () => {
    const c = new ResolutionCache();
    c.set('ns/x', inputs, ok, 0);
    expect(c.get('ns/x', inputs, 30_000, 60_000)).toEqual(ok);
    // a poll requeued after the interval resolves even if its timer fired slightly early
    expect(c.get('ns/x', inputs, 59_500, 60_000)).toBeUndefined();
    expect(c.get('ns/x', inputs, 61_000, 60_000)).toBeUndefined();
  });

  it('asks git again at once when the spec, the ref or a webhook poke changed', () => {
    const c = new ResolutionCache();
    c.set('ns/x', inputs, ok, 0);
    expect(c.get('ns/x', { ...inputs, generation: 2 }, 1, 60_000)).toBeUndefined();
    expect(c.get('ns/x', { ...inputs, ref: 'v2' }, 1, 60_000)).toBeUndefined();
    expect(c.get('ns/x', { ...inputs, requestedAt: '2026-01-01T00:00:00Z' }, 1, 60_000)).toBeUndefined();
  });

  it('without polling, keeps the answer until the inputs change', () => {
    const c = new ResolutionCache();
    c.set('ns/x', inputs, ok, 0);
    expect(c.get('ns/x', inputs, 10 * 3_600_000, undefined)).toEqual(ok);
  });

  it('reuses a failure only briefly', () => {
    const c = new ResolutionCache();
    c.set('ns/x', inputs, failed, 0);
    expect(c.get('ns/x', inputs, 1_000, 60_000)).toEqual(failed);
    expect(c.get('ns/x', inputs, 6_000, 60_000)).toBeUndefined();
    c.delete('ns/x');
    expect(c.get('ns/x', inputs, 1, 60_000)).toBeUndefined();
  });
});
