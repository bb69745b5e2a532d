import { describe, expect, it } from 'vitest';
import type { GatewayReport } from './gateway-report.ts';
import { renderStatusTable, StatusBoard } from './status-table.ts';

const synced: GatewayReport = {
  name: 'site',
  namespace: 'site1',
  sync: 'site1/proveit-sync',
  ref: '2.0.0',
  commit: '1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d',
  status: 'Synced',
  added: 42,
  modified: 1,
  deleted: 0,
  drift: 2,
  scans: ['config', 'projects'],
  dryRun: false,
  afterCommissioning: false,
  durationMs: 10,
  reason: null,
  kind: null,
  error: null,
};

describe('renderStatusTable', () => {
  it('a pinned ref says so in the REF column; an unpinned one does not', () => {
    const rows = [
      {
        gateway: 'site',
        sync: synced.sync,
        state: 'Synced' as const,
        ref: '2.0.1',
        pinned: true,
        report: synced,
      },
      { gateway: 'area1', sync: synced.sync, state: 'Synced' as const, ref: 'main', report: synced },
    ];
    const lines = renderStatusTable(rows).split('\n');
    expect(lines[1]).toMatch(/Synced\s+2\.0\.1 \(pinned\)\s+1a2b3c4/);
    expect(lines[2]).toMatch(/Synced\s+main\s+1a2b3c4/);
    expect(lines[2]).not.toContain('pinned');
  });

  it('shows state, ref, short commit, changes with drift, and the failure reason', () => {
    const failed: GatewayReport = {
      ...synced,
      name: 'area1',
      commit: null,
      status: 'Failed',
      reason: 'GatewayUnreachable',
      error: 'connect ECONNREFUSED',
    };
    const table = renderStatusTable([
      { gateway: 'site', sync: 'site1/proveit-sync', state: 'Synced', ref: '2.0.0', report: synced },
      { gateway: 'area1', sync: 'site1/proveit-sync', state: 'Failed', ref: '2.0.0', report: failed },
    ]);
    expect(table.split('\n')).toEqual([
      'GATEWAY  SYNC                STATE   REF    COMMIT   CHANGES            ERROR',
      'site     site1/proveit-sync  Synced  2.0.0  1a2b3c4  +42 ~1 -0 drift 2',
      'area1    site1/proveit-sync  Failed  2.0.0                              GatewayUnreachable: connect ECONNREFUSED',
    ]);
  });

  it('the board keeps the last report while a new round is syncing', () => {
    const board = new StatusBoard();
    board.update({ gateway: 'site', sync: 's', state: 'Synced', ref: '2.0.0', report: synced });
    board.update({ gateway: 'site', sync: 's', state: 'Syncing', ref: '2.0.1' });
    expect(board.rows).toEqual([
      { gateway: 'site', sync: 's', state: 'Syncing', ref: '2.0.1', report: synced },
    ]);
  });
});
