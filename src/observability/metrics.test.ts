import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../../test/harness/prometheus-text.ts';
import { createMetricsRegistry, IgnitionSyncMetrics, MetricNames, webhookVerdict } from './metrics.ts';

interface Row {
  readonly name: string;
  readonly type: string;
  readonly labels: string[];
}

/** The rows of the README's metric table: `| \`name\` | type | \`label\`, … | … |`. */
async function readmeRows(): Promise<Row[]> {
  const text = await readFile(new URL('./README.md', import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('| `ignition_sync_'))
    .map((l) => {
      const [name = '', type = '', labels = ''] = l
        .split('|')
        .slice(1)
        .map((c) => c.trim());
      return {
        name: name.replaceAll('`', ''),
        type,
        labels: [...labels.matchAll(/`([a-z_]+)`/g)].map((m) => m[1] ?? '').sort(),
      };
    });
}

const fresh = () => new IgnitionSyncMetrics(createMetricsRegistry({ defaultMetrics: false }));

describe('the shared metrics', () => {
  it('README table = the registry: every metric, its type and its labels, nothing more', async () => {
    const metrics = fresh();
    const registered = (await metrics.registry.getMetricsAsJSON()).map((m) => {
      const metric = metrics.registry.getSingleMetric(m.name) as unknown as { labelNames: string[] };
      return { name: m.name, type: String(m.type), labels: [...metric.labelNames].sort() };
    });
    const rows = await readmeRows();
    expect(rows.sort((a, b) => a.name.localeCompare(b.name))).toEqual(
      registered.sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect(Object.values(MetricNames).sort()).toEqual(registered.map((r) => r.name).sort());
  });

  it('names follow the Prometheus conventions: prefix, _total only on counters, base units', async () => {
    const metrics = fresh();
    for (const m of await metrics.registry.getMetricsAsJSON()) {
      expect(m.name).toMatch(/^ignition_sync_[a-z_]+$/);
      expect(m.name.endsWith('_total')).toBe(String(m.type) === 'counter');
      expect(m.name).not.toMatch(/_(ms|milliseconds|minutes)(_|$)/);
      if (String(m.type) === 'histogram') expect(m.name).toMatch(/_seconds$/);
    }
  });

  it('status → verdict: 202 accepted, 200 ignored, 401 unauthorized, 404 not_found, other 4xx rejected, 5xx error', () => {
    expect([202, 200, 401, 404, 405, 413, 400, 500, 503].map(webhookVerdict)).toEqual([
      'accepted',
      'ignored',
      'unauthorized',
      'not_found',
      'rejected',
      'rejected',
      'rejected',
      'error',
      'error',
    ]);
  });

  it('a sync observation feeds the histogram by result and the counter by reason; the exposition parses', async () => {
    const metrics = fresh();
    const key = { namespace: 'site1', name: 'proveit-sync' };
    metrics.observeGatewaySync({ ...key, result: 'Synced', reason: 'Synced', seconds: 0.3 });
    metrics.observeGatewaySync({ ...key, result: 'Synced', reason: 'Synced', seconds: 2 });
    metrics.observeGatewaySync({ ...key, result: 'Failed', reason: 'ScanTimeout', seconds: 40 });
    metrics.countFailedSync(key, 'GitAuthFailed');
    const text = parsePrometheusText((await metrics.exposition()).text);
    const labels = { namespace: 'site1', ignition_sync: 'proveit-sync' };
    expect(text.value('ignition_sync_sync_duration_seconds_count', { ...labels, result: 'Synced' })).toBe(2);
    expect(text.value('ignition_sync_sync_duration_seconds_sum', { ...labels, result: 'Synced' })).toBe(2.3);
    expect(text.value('ignition_sync_sync_duration_seconds_count', { ...labels, result: 'Failed' })).toBe(1);
    expect(text.value('ignition_sync_sync_duration_seconds_bucket', { result: 'Synced', le: '0.5' })).toBe(1);
    expect(text.value('ignition_sync_sync_results_total', { reason: 'Synced' })).toBe(2);
    expect(text.value('ignition_sync_sync_results_total', { result: 'Failed' })).toBe(2);
    expect(text.value('ignition_sync_sync_results_total', { reason: 'GitAuthFailed' })).toBe(1);
  });

  it('a rate-limit acquisition that did not wait is observed but not counted as a wait', async () => {
    const metrics = fresh();
    metrics.observeRateLimit('concurrency', 0);
    metrics.observeRateLimit('concurrency', 1.5);
    metrics.observeRateLimit('start_rate', 3);
    const text = parsePrometheusText((await metrics.exposition()).text);
    expect(text.value('ignition_sync_rate_limit_waits_total', { limiter: 'concurrency' })).toBe(1);
    expect(text.value('ignition_sync_rate_limit_wait_seconds_count', { limiter: 'concurrency' })).toBe(2);
    expect(text.value('ignition_sync_rate_limit_wait_seconds_sum', { limiter: 'start_rate' })).toBe(3);
  });

  it('queue depth is read at scrape time from the tracked queues', async () => {
    const metrics = fresh();
    let depth = 3;
    metrics.trackQueueDepth('ignitionsync', () => depth);
    let text = parsePrometheusText((await metrics.exposition()).text);
    expect(text.value('ignition_sync_work_queue_depth', { queue: 'ignitionsync' })).toBe(3);
    depth = 0;
    text = parsePrometheusText((await metrics.exposition()).text);
    expect(text.value('ignition_sync_work_queue_depth', { queue: 'ignitionsync' })).toBe(0);
  });

  it('two processes in one Node.js (tests) do not share a registry', async () => {
    const a = fresh();
    const b = fresh();
    a.recordWebhook(202);
    const text = parsePrometheusText((await b.exposition()).text);
    expect(text.series('ignition_sync_webhook_requests_total')).toEqual([]);
  });
});
