import { describe, expect, it } from 'vitest';
import { CommitLagTracker } from './commit-lag-tracker.ts';

describe('CommitLagTracker', () => {
  it('each gateway counts once per desired commit, with the time since the commit became desired', () => {
    const t = new CommitLagTracker();
    t.noteDesired('ns/igs', 'c2', 1_000, [
      { id: 'a', commit: 'c1' },
      { id: 'b', commit: 'c1' },
    ]);
    expect(
      t.arrivals(
        'ns/igs',
        [
          { id: 'a', commit: 'c2' },
          { id: 'b', commit: 'c1' },
        ],
        3_500,
      ),
    ).toEqual([2.5]);
    expect(
      t.arrivals(
        'ns/igs',
        [
          { id: 'a', commit: 'c2' },
          { id: 'b', commit: 'c2' },
        ],
        4_000,
      ),
    ).toEqual([3]);
    expect(
      t.arrivals(
        'ns/igs',
        [
          { id: 'a', commit: 'c2' },
          { id: 'b', commit: 'c2' },
        ],
        9_000,
      ),
    ).toEqual([]);
  });

  it('noting the same commit again keeps its start time; a new commit restarts the clock', () => {
    const t = new CommitLagTracker();
    t.noteDesired('k', 'c2', 0);
    t.noteDesired('k', 'c2', 5_000);
    expect(t.arrivals('k', [{ id: 'a', commit: 'c2' }], 6_000)).toEqual([6]);
    t.noteDesired('k', 'c3', 10_000);
    expect(t.arrivals('k', [{ id: 'a', commit: 'c3' }], 10_500)).toEqual([0.5]);
  });

  it('gateways already at the commit when it became desired, or found there, are not arrivals', () => {
    const t = new CommitLagTracker();
    t.noteDesired('k', 'c1', 0, [{ id: 'a', commit: 'c1' }]);
    t.markPresent('k', 'b', 'c1');
    expect(
      t.arrivals(
        'k',
        [
          { id: 'a', commit: 'c1' },
          { id: 'b', commit: 'c1' },
        ],
        1_000,
      ),
    ).toEqual([]);
  });

  it('a commit it never saw become desired yields no lag (a restarted controller)', () => {
    expect(new CommitLagTracker().arrivals('k', [{ id: 'a', commit: 'c1' }], 1_000)).toEqual([]);
  });

  it('behind counts gateways not at the commit, unknown included', () => {
    expect(
      CommitLagTracker.behind(
        [
          { id: 'a', commit: 'c1' },
          { id: 'b', commit: undefined },
          { id: 'c', commit: 'c0' },
        ],
        'c1',
      ),
    ).toBe(2);
  });
});
