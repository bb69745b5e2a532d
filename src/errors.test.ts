import { describe, expect, it } from 'vitest';
import { OperatorError, toOperatorError } from './errors.ts';
import { type Reason, reasonInfo } from './reasons/index.ts';

describe('OperatorError', () => {
  it('rejects a reason that is not a valid condition reason', () => {
    expect(() => new OperatorError('not a reason' as Reason, 'x')).toThrow(/invalid error reason/);
  });

  it('takes its default kind from the registry and keeps the cause', () => {
    const cause = new Error('boom');
    const e = new OperatorError('GitFetchFailed', 'fetch failed: boom', { cause });
    expect(e.kind).toBe('transient');
    expect(e.cause).toBe(cause);
    expect(e.isStalling).toBe(false);
    expect(new OperatorError('RefNotFound', 'x').kind).toBe('waiting');
    expect(new OperatorError('PathTraversalBlocked', 'x').isStalling).toBe(true);
  });

  it('an explicit kind wins over the registry', () => {
    expect(new OperatorError('DesignerSessionActive', 'x', { kind: 'stalling' }).kind).toBe('stalling');
  });

  it('a reason that is not a failure, or not registered, defaults to transient', () => {
    expect(new OperatorError('Succeeded', 'x').kind).toBe('transient');
    expect(new OperatorError('NotRegistered' as Reason, 'x').kind).toBe('transient');
  });

  it('toOperatorError wraps foreign throws and keeps typed ones', () => {
    const typed = new OperatorError('ProfileInvalid', 'bad', { kind: 'stalling' });
    expect(toOperatorError(typed, 'ReconcileFailed')).toBe(typed);
    const wrapped = toOperatorError('a string', 'ReconcileFailed');
    expect(wrapped.reason).toBe('ReconcileFailed');
    expect(wrapped.message).toBe('a string');
  });

  it('toOperatorError gives a wrapped throw the fallback reason kind unless told otherwise', () => {
    expect(toOperatorError(new Error('x'), 'CertificateLoadFailed').kind).toBe('stalling');
    expect(toOperatorError(new Error('x'), 'WatchFailed').kind).toBe('transient');
    expect(toOperatorError(new Error('x'), 'CertificateLoadFailed', 'transient').kind).toBe('transient');
  });

  it('an unregistered fallback that got in through a cast is detectable', () => {
    const e = toOperatorError(new Error('x'), 'SomethingNobodyRegistered' as Reason);
    expect(e.reason).toBe('SomethingNobodyRegistered');
    expect(reasonInfo(e.reason)).toBeUndefined();
  });
});
