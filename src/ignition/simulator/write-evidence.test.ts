import { describe, expect, it } from 'vitest';
import { buildSnapshot } from './data-snapshot.ts';
import { CLOCK_SLACK_MS, collectWriteEvidence, type LockInterval, lockedKindsAt } from './write-evidence.ts';

const locks: LockInterval[] = [
  { kind: 'config', actor: 'a', from: 1_000, to: 2_000 },
  { kind: 'projects', actor: 'a', from: 1_500, to: 3_000 },
];

describe('lockedKindsAt', () => {
  it.each([
    [500, []],
    [1_000 - CLOCK_SLACK_MS, ['config']],
    [1_600, ['config', 'projects']],
    [2_500, ['projects']],
    [3_000 + CLOCK_SLACK_MS + 1, []],
  ] as const)('t=%d → %j', (t, expected) => {
    expect(lockedKindsAt(locks, t)).toEqual(expected);
  });
});

describe('collectWriteEvidence', () => {
  it('lists added and modified files oldest first with their locks; own writes are marked', () => {
    const after = buildSnapshot('projects', 4_000, [
      { path: 'projects/A/project.json', hash: 'new', mtimeMs: 2_600 },
      { path: 'projects/A/late.json', hash: 'x', mtimeMs: 3_500 },
      { path: 'projects/.resources/cache', hash: 'gw', mtimeMs: 900 },
      { path: 'projects/A/same.json', hash: 'same', mtimeMs: 100 },
    ]);
    const before = {
      'projects/A/project.json': 'old',
      'projects/A/same.json': 'same',
      'projects/B/gone': 'h',
    };
    const own = new Map([['projects/.resources/cache', 'gw']]);
    const { writes, deleted } = collectWriteEvidence(before, after, locks, own);
    expect(writes).toEqual([
      { path: 'projects/.resources/cache', mtimeMs: 900, lockedKinds: [], byGateway: true },
      { path: 'projects/A/project.json', mtimeMs: 2_600, lockedKinds: ['projects'], byGateway: false },
      { path: 'projects/A/late.json', mtimeMs: 3_500, lockedKinds: [], byGateway: false },
    ]);
    expect(deleted).toEqual(['projects/B/gone']);
  });
});
