import { describe, expect, it } from 'vitest';
import { OperatorError, toOperatorError } from './errors.ts';

describe('OperatorError', () => {
  it('rejects a reason that is not a valid condition reason', () => {
    expect(() => new OperatorError('not a reason', 'x')).toThrow(/invalid error reason/);
  });

  it('defaults to transient and keeps the cause', () => {
    const cause = new Error('boom');
    const e = new OperatorError('GitFetchFailed', 'fetch failed: boom', { cause });
    expect(e.kind).toBe('transient');
    expect(e.cause).toBe(cause);
    expect(e.isStalling).toBe(false);
  });

  it('toOperatorError wraps foreign throws and keeps typed ones', () => {
    const typed = new OperatorError('ProfileInvalid', 'bad', { kind: 'stalling' });
    expect(toOperatorError(typed, 'Unknown')).toBe(typed);
    const wrapped = toOperatorError('a string', 'Unknown');
    expect(wrapped.reason).toBe('Unknown');
    expect(wrapped.message).toBe('a string');
  });
});
