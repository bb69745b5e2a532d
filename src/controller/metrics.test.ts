import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../test/harness/prometheus-text.ts';
import type { DiscoveredGateway } from '../api/index.ts';
import { createMetricsRegistry, IgnitionSyncMetrics } from '../observability/index.ts';
import { ControllerMetrics } from './metrics.ts';

const gw = (
  podName: string,
  syncStatus: DiscoveredGateway['syncStatus'],
  commit?: string,
): DiscoveredGateway => ({
  name: podName,
  podName,
  syncStatus,
  ...(commit === undefined ? {} : { commit }),
});

function fixture() {
  let now = 0;
  const shared = new IgnitionSyncMetrics(createMetricsRegistry({ defaultMetrics: false }));
  const metrics = new ControllerMetrics({ shared, now: () => now });
  const read = async () => parsePrometheusText(await shared.registry.metrics());
  return { metrics, read, at: (ms: number) => (now = ms) };
}
const labels = { namespace: 'site1', ignition_sync: 'plant' };

describe('ControllerMetrics: commit lag and gateways behind from the reconcile view', () => {
  it('a commit published by this process: each gateway observed once when its report reaches it', async () => {
    const f = fixture();
    f.at(1_000);
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Synced', 'c1'), gw('b', 'Synced', 'c1')], {
      commit: 'c2',
      isNewlyPublished: true,
    });
    let m = await f.read();
    expect(m.value('ignition_sync_gateways_behind', labels)).toBe(2);
    f.at(4_000);
    // a is syncing (its report still names c1), b arrived.
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Syncing', 'c1'), gw('b', 'Synced', 'c2')], {
      commit: 'c2',
      isNewlyPublished: false,
    });
    f.at(6_000);
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Synced', 'c2'), gw('b', 'Synced', 'c2')], {
      commit: 'c2',
      isNewlyPublished: true, // the cache still showed the old desired state: not a new clock
    });
    f.at(9_000);
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Synced', 'c2'), gw('b', 'Synced', 'c2')], {
      commit: 'c2',
      isNewlyPublished: false,
    });
    m = await f.read();
    expect(m.value('ignition_sync_commit_lag_seconds_count', labels)).toBe(2);
    expect(m.value('ignition_sync_commit_lag_seconds_sum', labels)).toBe(3 + 5);
    expect(m.value('ignition_sync_gateways_behind', labels)).toBe(0);
    expect(m.value('ignition_sync_gateways', { ...labels, sync_status: 'Synced' })).toBe(2);
  });

  it('a commit published before this process started (a new leader) yields no lag', async () => {
    const f = fixture();
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Synced', 'c1')], {
      commit: 'c2',
      isNewlyPublished: false,
    });
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Synced', 'c2')], {
      commit: 'c2',
      isNewlyPublished: false,
    });
    const m = await f.read();
    expect(m.series('ignition_sync_commit_lag_seconds_count', labels)).toEqual([]);
    expect(m.value('ignition_sync_gateways_behind', labels)).toBe(0);
  });

  it('nothing published: no gateways-behind series; a deleted IgnitionSync drops its series', async () => {
    const f = fixture();
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Pending')], { commit: 'c1', isNewlyPublished: true });
    f.metrics.setGateways('site1', 'plant', [gw('a', 'Pending')]);
    expect((await f.read()).series('ignition_sync_gateways_behind', labels)).toEqual([]);
    f.metrics.forgetIgnitionSync('site1', 'plant');
    expect((await f.read()).series('ignition_sync_gateways', labels)).toEqual([]);
  });
});
