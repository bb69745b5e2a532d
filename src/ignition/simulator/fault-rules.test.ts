import { describe, expect, it } from 'vitest';
import { type FaultRule, selectFault } from './fault-rules.ts';

const rule = (r: Partial<FaultRule>): FaultRule => ({
  id: 'f',
  path: '*',
  action: { type: 'status', status: 503 },
  hits: 0,
  ...r,
});

describe('selectFault', () => {
  it('fires a "next N" rule exactly N times', () => {
    const rules = [rule({ path: '/data/api/v1/scan', times: 2 })];
    const fired = [1, 2, 3].map(
      () => selectFault(rules, 'POST', '/data/api/v1/scan/config', () => 0) !== undefined,
    );
    expect(fired).toEqual([true, true, false]);
  });
  it('matches method and path prefix', () => {
    const rules = [rule({ path: '/data/api/v1/scan-lock', method: 'post' })];
    expect(selectFault(rules, 'GET', '/data/api/v1/scan-lock/config', () => 0)).toBeUndefined();
    expect(selectFault(rules, 'POST', '/StatusPing', () => 0)).toBeUndefined();
    expect(selectFault(rules, 'POST', '/data/api/v1/scan-lock/config', () => 0)).toBe(rules[0]);
  });
  it('draws the probability per call', () => {
    const rules = [rule({ probability: 0.3 })];
    expect(selectFault(rules, 'GET', '/x', () => 0.5)).toBeUndefined();
    expect(selectFault(rules, 'GET', '/x', () => 0.2)).toBe(rules[0]);
  });
});
