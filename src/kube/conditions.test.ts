import { describe, expect, it } from 'vitest';
import { conditionsEqual, findCondition, setCondition } from './conditions.ts';

const t0 = new Date('2026-01-01T00:00:00.123Z');
const t1 = new Date('2026-01-01T01:00:00Z');

describe('setCondition', () => {
  it('a new condition gets lastTransitionTime = now (second precision)', () => {
    const list = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Progressing', message: 'syncing' },
      t0,
    );
    expect(list).toEqual([
      {
        type: 'Ready',
        status: 'False',
        reason: 'Progressing',
        message: 'syncing',
        lastTransitionTime: '2026-01-01T00:00:00Z',
      },
    ]);
  });

  it('same status with a new reason keeps lastTransitionTime; a status flip moves it', () => {
    const a = setCondition(
      undefined,
      { type: 'Ready', status: 'False', reason: 'Progressing', message: '' },
      t0,
    );
    const b = setCondition(
      a,
      { type: 'Ready', status: 'False', reason: 'GatewayUnreachable', message: 'x', observedGeneration: 2 },
      t1,
    );
    expect(findCondition(b, 'Ready')).toMatchObject({
      reason: 'GatewayUnreachable',
      observedGeneration: 2,
      lastTransitionTime: '2026-01-01T00:00:00Z',
    });
    const c = setCondition(b, { type: 'Ready', status: 'True', reason: 'Synced', message: '' }, t1);
    expect(findCondition(c, 'Ready')?.lastTransitionTime).toBe('2026-01-01T01:00:00Z');
    expect(a).toHaveLength(1);
    expect(findCondition(a, 'Ready')?.reason).toBe('Progressing');
  });

  it('keeps other conditions and their order', () => {
    let list = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Synced', message: '' }, t0);
    list = setCondition(list, { type: 'Stalled', status: 'False', reason: 'Synced', message: '' }, t0);
    list = setCondition(list, { type: 'Ready', status: 'False', reason: 'Failed', message: '' }, t1);
    expect(list.map((c) => c.type)).toEqual(['Ready', 'Stalled']);
  });

  it.each([
    ['reason with a space', { type: 'Ready', status: 'True', reason: 'Not Valid', message: '' }],
    ['empty reason', { type: 'Ready', status: 'True', reason: '', message: '' }],
    ['reason ending in a comma', { type: 'Ready', status: 'True', reason: 'Bad,', message: '' }],
    ['type with a space', { type: 'Is Ready', status: 'True', reason: 'Ok', message: '' }],
  ] as const)('rejects an invalid condition: %s', (_name, update) => {
    expect(() => setCondition(undefined, update, t0)).toThrow(/invalid condition/);
  });

  it('conditionsEqual ignores lastTransitionTime but not reason', () => {
    const a = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Synced', message: '' }, t0);
    const b = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Synced', message: '' }, t1);
    const c = setCondition(undefined, { type: 'Ready', status: 'True', reason: 'Other', message: '' }, t1);
    expect(conditionsEqual(a, b)).toBe(true);
    expect(conditionsEqual(a, c)).toBe(false);
  });
});
