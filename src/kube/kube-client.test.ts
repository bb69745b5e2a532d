import { describe, expect, it } from 'vitest';
import { isAlreadyExists, isConflict, isNotFound, KubeApiError } from './kube-client.ts';

describe('KubeApiError', () => {
  it.each([
    [404, 'NotFound', 'KubeObjectNotFound'],
    [409, 'Conflict', 'Conflict'],
    [409, 'AlreadyExists', 'KubeApiError'],
    [422, 'Invalid', 'KubeApiError'],
    [401, 'Unauthorized', 'KubeApiError'],
    [500, undefined, 'KubeApiError'],
    [400, 'constructor', 'KubeApiError'],
  ])('%i %s → reason %s, the Status reason kept', (code, statusReason, reason) => {
    const e = new KubeApiError(
      code,
      'x failed: y',
      statusReason === undefined ? undefined : { reason: statusReason },
    );
    expect(e).toMatchObject({ reason, kind: 'transient', code });
    expect(e.status?.reason).toBe(statusReason);
    expect(e.details).toEqual(statusReason === undefined ? { code } : { code, statusReason });
  });

  it('the predicates read the HTTP code and the Status reason, not the error reason', () => {
    expect(isNotFound(new KubeApiError(404, 'x', { reason: 'NotFound' }))).toBe(true);
    expect(isConflict(new KubeApiError(409, 'x', { reason: 'Conflict' }))).toBe(true);
    expect(isAlreadyExists(new KubeApiError(409, 'x', { reason: 'AlreadyExists' }))).toBe(true);
    expect(isAlreadyExists(new KubeApiError(409, 'x', { reason: 'Conflict' }))).toBe(false);
  });
});
