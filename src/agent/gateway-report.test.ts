import { describe, expect, it } from 'vitest';
import { GATEWAY_REPORT_KEY, GatewayReport } from '../api/index.ts';
import type { GatewaySyncOutcome } from '../gateway-sync/index.ts';
import type { SyncResult } from '../sync/index.ts';
import type { AgentIdentity } from './agent-config.ts';
import {
  failedReport,
  isLabelValue,
  outcomeReport,
  parseReportConfigMap,
  pausedReport,
  pendingReport,
  type ReportContext,
  reportConfigMap,
  reportText,
  syncingReport,
} from './gateway-report.ts';

const OLD = '1'.repeat(40);
const NEW = '2'.repeat(40);
const ENDED = new Date('2026-12-02T10:00:00.000Z');

const identity: AgentIdentity = {
  podName: 'gw-0',
  namespace: 'site1',
  podUid: 'uid-123',
  crName: 'plant',
  routing: { kind: 'profile', profile: 'site' },
  gatewayName: 'site',
};

function ctx(overrides: Partial<ReportContext> = {}): ReportContext {
  return { identity, previous: undefined, desiredCommit: NEW, appliedCommit: OLD, ...overrides };
}

function result(overrides: Partial<SyncResult> = {}): SyncResult {
  return {
    commit: NEW,
    strategy: 'incremental',
    added: ['projects/A/a.json', 'projects/A/b.json'],
    modified: ['config/resources/core/x/config.json'],
    deleted: [],
    skipped: [],
    drift: [],
    bytesWritten: 10,
    durationMs: 5,
    projectsTouched: ['A'],
    projectsChanged: true,
    configChanged: true,
    dryRun: false,
    ...overrides,
  };
}

function outcome(overrides: Partial<GatewaySyncOutcome> = {}): GatewaySyncOutcome {
  return {
    gateway: 'site',
    commit: NEW,
    status: 'Synced',
    previousCommit: OLD,
    result: result(),
    scans: ['config', 'projects'],
    dryRun: false,
    verified: false,
    afterCommissioning: false,
    movedToOlderCommit: false,
    awaitingCommissioning: false,
    durationMs: 1234.4,
    error: null,
    ...overrides,
  };
}

describe('outcomeReport', () => {
  it('a Synced outcome reports the applied commit, counts, scans and the end time', () => {
    const report = outcomeReport(ctx({ appliedCommit: NEW }), outcome(), ENDED);
    expect(report).toEqual({
      version: 1,
      name: 'site',
      podName: 'gw-0',
      profile: 'site',
      desiredCommit: NEW,
      commit: NEW,
      syncStatus: 'Synced',
      lastSyncTime: '2026-12-02T10:00:00.000Z',
      lastSyncDurationMs: 1234,
      filesAdded: 2,
      filesModified: 1,
      filesDeleted: 0,
      driftCount: 0,
      scans: ['config', 'projects'],
    });
    expect(GatewayReport.safeParse(report).success).toBe(true);
  });

  it('a Failed outcome keeps reason, kind and message, and the commit the data dir is still at', () => {
    const report = outcomeReport(
      ctx(),
      outcome({
        status: 'Failed',
        result: null,
        scans: [],
        error: { reason: 'ScanTimeout', kind: 'transient', message: 'projects scan did not finish' },
      }),
      ENDED,
    );
    expect(report).toMatchObject({
      syncStatus: 'Failed',
      desiredCommit: NEW,
      commit: OLD,
      reason: 'ScanTimeout',
      kind: 'transient',
      error: 'projects scan did not finish',
      lastSyncTime: '2026-12-02T10:00:00.000Z',
    });
    expect(report).not.toHaveProperty('filesAdded');
    expect(report).not.toHaveProperty('scans');
  });

  it('a sync back to an older commit is Synced with reason MovedToOlderCommit', () => {
    const report = outcomeReport(ctx({ appliedCommit: NEW }), outcome({ movedToOlderCommit: true }), ENDED);
    expect(report).toMatchObject({ syncStatus: 'Synced', reason: 'MovedToOlderCommit' });
    expect(report).not.toHaveProperty('kind');
  });

  it('reports at most 20 drift paths but the full drift count', () => {
    const drift = Array.from({ length: 25 }, (_, i) => ({
      path: `projects/A/f${i}.json`,
      kind: 'modified' as const,
    }));
    const report = outcomeReport(ctx(), outcome({ result: result({ drift }) }), ENDED);
    expect(report.driftCount).toBe(25);
    expect(report.driftPaths).toHaveLength(20);
    expect(report.driftPaths?.[0]).toBe('projects/A/f0.json');
  });

  it('a dry run is Held with reason DryRun and the counts it would write', () => {
    const report = outcomeReport(ctx(), outcome({ dryRun: true, scans: [] }), ENDED);
    expect(report).toMatchObject({ syncStatus: 'Held', reason: 'DryRun', filesAdded: 2, commit: OLD });
  });

  it('truncates a long error message to what the contract allows', () => {
    const message = 'x'.repeat(10_000);
    const report = outcomeReport(
      ctx(),
      outcome({
        status: 'Failed',
        result: null,
        error: { reason: 'GitFetchFailed', kind: 'transient', message },
      }),
      ENDED,
    );
    expect(report.error?.length).toBe(4096);
    expect(GatewayReport.safeParse(report).success).toBe(true);
  });
});

describe('reports that are not a finished sync', () => {
  const previous = outcomeReport(
    ctx({ desiredCommit: OLD, appliedCommit: OLD }),
    outcome({ commit: OLD }),
    ENDED,
  );

  it('Syncing keeps the last sync fields and drops the last error', () => {
    const failedBefore = {
      ...previous,
      syncStatus: 'Failed',
      reason: 'ScanTimeout',
      kind: 'transient' as const,
    };
    const report = syncingReport(ctx({ previous: failedBefore }));
    expect(report).toMatchObject({
      syncStatus: 'Syncing',
      desiredCommit: NEW,
      commit: OLD,
      lastSyncTime: previous.lastSyncTime,
      filesAdded: 2,
    });
    expect(report).not.toHaveProperty('reason');
    expect(report).not.toHaveProperty('kind');
  });

  it('a failure before any sync (profile not published) keeps lastSyncTime; one after a fetch sets it', () => {
    const error = { reason: 'ProfileNotPublished', kind: 'stalling' as const, message: 'no profile' };
    expect(failedReport(ctx({ previous }), error).lastSyncTime).toBe(previous.lastSyncTime);
    const later = new Date('2026-12-02T11:00:00.000Z');
    expect(failedReport(ctx({ previous }), error, later)).toMatchObject({
      syncStatus: 'Failed',
      lastSyncTime: '2026-12-02T11:00:00.000Z',
      reason: 'ProfileNotPublished',
      kind: 'stalling',
    });
  });

  it('paused is Held with reason Paused', () => {
    expect(pausedReport(ctx({ previous }))).toMatchObject({
      syncStatus: 'Held',
      reason: 'Paused',
      desiredCommit: NEW,
      commit: OLD,
    });
  });

  it('no published desired state is Pending with reason DesiredStateMissing and no desired commit', () => {
    const report = pendingReport(ctx({ previous, desiredCommit: undefined }));
    expect(report).toMatchObject({ syncStatus: 'Pending', reason: 'DesiredStateMissing', commit: OLD });
    expect(report).not.toHaveProperty('desiredCommit');
    expect(report).not.toHaveProperty('error');
  });

  it('2-tier mode reports the service path instead of a profile', () => {
    const report = syncingReport(
      ctx({ identity: { ...identity, routing: { kind: 'servicePath', servicePath: '.' } } }),
    );
    expect(report.servicePath).toBe('.');
    expect(report).not.toHaveProperty('profile');
  });
});

describe('reportConfigMap', () => {
  const report = outcomeReport(ctx({ appliedCommit: NEW }), outcome(), ENDED);

  it('is the pod-named ConfigMap with the contract labels, owned by the Pod without blocking its deletion', () => {
    const cm = reportConfigMap(identity, report, '42');
    expect(cm.metadata).toEqual({
      name: 'gw-0.sync-status',
      namespace: 'site1',
      resourceVersion: '42',
      labels: {
        'ignition-sync.io/cr-name': 'plant',
        'ignition-sync.io/role': 'gateway-report',
        'ignition-sync.io/gateway-name': 'site',
        'app.kubernetes.io/managed-by': 'ignition-sync',
      },
      ownerReferences: [
        {
          apiVersion: 'v1',
          kind: 'Pod',
          name: 'gw-0',
          uid: 'uid-123',
          controller: false,
          blockOwnerDeletion: false,
        },
      ],
    });
    expect(parseReportConfigMap(cm)).toEqual(report);
  });

  it('leaves out the gateway-name label when the name is not a label value', () => {
    const named = { ...identity, gatewayName: 'Site Gateway (north)' };
    expect(reportConfigMap(named, report).metadata.labels).not.toHaveProperty(
      'ignition-sync.io/gateway-name',
    );
    expect(isLabelValue('site-1.a_b')).toBe(true);
    expect(isLabelValue('x'.repeat(64))).toBe(false);
    expect(isLabelValue('-site')).toBe(false);
  });

  it('serialises equal reports to equal text whatever the field order', () => {
    const reordered = Object.fromEntries(Object.entries(report).reverse()) as typeof report;
    expect(reportText(reordered)).toBe(reportText(report));
    expect(reportConfigMap(identity, reordered).data?.[GATEWAY_REPORT_KEY]).toBe(reportText(report));
  });

  it('an unreadable report is undefined, not an error', () => {
    expect(parseReportConfigMap({ data: { [GATEWAY_REPORT_KEY]: '{not json' } })).toBeUndefined();
    expect(parseReportConfigMap({ data: { [GATEWAY_REPORT_KEY]: '{"version":2}' } })).toBeUndefined();
    expect(parseReportConfigMap(undefined)).toBeUndefined();
  });
});
