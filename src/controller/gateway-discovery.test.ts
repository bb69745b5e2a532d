import { describe, expect, it } from 'vitest';
import { GATEWAY_REPORT_KEY, type GatewayReport, PodAnnotations } from '../api/index.ts';
import { discoveredGateway, gatewayPodsOf, readGatewayReport } from './gateway-discovery.ts';
import type { ConfigMapObject, PodObject } from './objects.ts';

const C1 = 'a'.repeat(40);
const C2 = 'b'.repeat(40);

function pod(
  name: string,
  annotations: Record<string, string>,
  options: { ns?: string; labels?: Record<string, string>; uid?: string } = {},
): PodObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: options.ns ?? 'site1',
      uid: options.uid ?? `uid-${name}`,
      annotations,
      ...(options.labels === undefined ? {} : { labels: options.labels }),
    },
  };
}
const follows = (extra: Record<string, string> = {}) => ({
  [PodAnnotations.inject]: 'true',
  [PodAnnotations.crName]: 'plant',
  [PodAnnotations.syncProfile]: 'site',
  ...extra,
});

function reportCm(podName: string, content: unknown, ownerUid = `uid-${podName}`): ConfigMapObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: `${podName}.sync-status`,
      namespace: 'site1',
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: podName, uid: ownerUid }],
    },
    data: { [GATEWAY_REPORT_KEY]: typeof content === 'string' ? content : JSON.stringify(content) },
  };
}
const report = (over: Partial<GatewayReport> = {}): GatewayReport => ({
  version: 1,
  name: 'gw',
  podName: 'gw-a',
  syncStatus: 'Synced',
  commit: C1,
  desiredCommit: C1,
  ...over,
});

describe('gatewayPodsOf', () => {
  it('keeps pods that are injected and name this IgnitionSync in its namespace, sorted by pod name', () => {
    const pods = [
      pod('zeta', follows()),
      pod('alpha', follows({ [PodAnnotations.gatewayName]: 'Area 1' })),
      pod('labelled', follows(), { labels: { 'app.kubernetes.io/name': 'area-2' } }),
      pod('not-injected', { ...follows(), [PodAnnotations.inject]: 'false' }),
      pod('other-cr', follows({ [PodAnnotations.crName]: 'other' })),
      pod('other-ns', follows(), { ns: 'site2' }),
    ];
    const found = gatewayPodsOf(pods, 'site1', 'plant');
    expect(found.map((p) => [p.podName, p.name])).toEqual([
      ['alpha', 'Area 1'],
      ['labelled', 'area-2'],
      ['zeta', 'zeta'],
    ]);
  });
});

describe('readGatewayReport', () => {
  const gw = gatewayPodsOf([pod('gw-a', follows())], 'site1', 'plant')[0];
  if (gw === undefined) throw new Error('fixture');

  it('reads a valid report', () => {
    expect(readGatewayReport(reportCm('gw-a', report()), gw)).toEqual({ kind: 'ok', report: report() });
  });

  it('treats a missing report, and one left by an earlier pod of the same name, as none', () => {
    expect(readGatewayReport(undefined, gw)).toEqual({ kind: 'none' });
    expect(readGatewayReport(reportCm('gw-a', report(), 'uid-of-old-pod'), gw)).toEqual({ kind: 'none' });
  });

  it('names what is wrong with an invalid report instead of throwing', () => {
    expect(readGatewayReport(reportCm('gw-a', '{nope'), gw)).toEqual({
      kind: 'invalid',
      message: 'status.json is not JSON',
    });
    const bad = readGatewayReport(reportCm('gw-a', { ...report(), syncStatus: 'Done' }), gw);
    expect(bad.kind).toBe('invalid');
    expect(bad.kind === 'invalid' && bad.message).toMatch(/^status\.json: syncStatus: /);
    const noKey = readGatewayReport({ ...reportCm('gw-a', report()), data: {} }, gw);
    expect(noKey).toEqual({ kind: 'invalid', message: 'report has no status.json key' });
  });
});

describe('discoveredGateway', () => {
  const [gw, svc, bare] = gatewayPodsOf(
    [
      pod('gw-a', follows()),
      pod('gw-b', {
        [PodAnnotations.inject]: 'true',
        [PodAnnotations.crName]: 'plant',
        [PodAnnotations.servicePath]: 'services/b',
      }),
      pod('gw-c', { [PodAnnotations.inject]: 'true', [PodAnnotations.crName]: 'plant' }),
    ],
    'site1',
    'plant',
  );
  if (gw === undefined || svc === undefined || bare === undefined) throw new Error('fixture');
  const ok = { kind: 'ok' as const, spec: { mappings: [] } as never };

  it('is Pending without a report', () => {
    expect(discoveredGateway(gw, { kind: 'none' }, ok, C1)).toEqual({
      name: 'gw-a',
      namespace: 'site1',
      podName: 'gw-a',
      profile: 'site',
      syncStatus: 'Pending',
    });
  });

  it('copies the report at the desired commit', () => {
    const entry = discoveredGateway(
      gw,
      {
        kind: 'ok',
        report: report({
          lastSyncDurationMs: 65_000,
          filesAdded: 2,
          filesModified: 1,
          filesDeleted: 4,
          scans: ['config', 'projects'],
          driftCount: 1,
          driftPaths: ['projects/x'],
        }),
      },
      ok,
      C1,
    );
    expect(entry).toMatchObject({
      syncStatus: 'Synced',
      commit: C1,
      lastSyncDuration: '1m5s',
      filesChanged: 7,
      scan: { config: 'completed', projects: 'completed' },
      driftCount: 1,
      driftPaths: ['projects/x'],
    });
  });

  it('shows Synced at an older commit as Pending (the agent has not picked up the new one)', () => {
    const entry = discoveredGateway(gw, { kind: 'ok', report: report() }, ok, C2);
    expect(entry).toMatchObject({ syncStatus: 'Pending', commit: C1, reason: 'SyncInProgress' });
  });

  it('shows an invalid report as Failed GatewayReportInvalid', () => {
    expect(
      discoveredGateway(gw, { kind: 'invalid', message: 'status.json is not JSON' }, ok, C1),
    ).toMatchObject({
      syncStatus: 'Failed',
      reason: 'GatewayReportInvalid',
      error: 'report gw-a.sync-status is invalid: status.json is not JSON',
    });
  });

  it('reports a missing or invalid profile over whatever the agent said', () => {
    expect(discoveredGateway(gw, { kind: 'ok', report: report() }, { kind: 'missing' }, C1)).toMatchObject({
      syncStatus: 'Failed',
      reason: 'ProfileNotFound',
      error: 'SyncProfile site named by pod gw-a does not exist in namespace site1',
      commit: C1,
    });
    expect(discoveredGateway(gw, { kind: 'none' }, { kind: 'invalid', message: 'bad' }, C1)).toMatchObject({
      syncStatus: 'Failed',
      reason: 'ProfileInvalid',
    });
  });

  it('accepts a service path instead of a profile, and flags a pod with neither', () => {
    expect(discoveredGateway(svc, { kind: 'none' }, undefined, C1)).toEqual({
      name: 'gw-b',
      namespace: 'site1',
      podName: 'gw-b',
      servicePath: 'services/b',
      syncStatus: 'Pending',
    });
    expect(discoveredGateway(bare, { kind: 'none' }, undefined, C1)).toMatchObject({
      syncStatus: 'Failed',
      reason: 'ProfileNotFound',
    });
  });
});
