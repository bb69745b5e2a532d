import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { createMetricsRegistry, IgnitionSyncMetrics } from './metrics.ts';

const DASHBOARD = new URL('../../deploy/grafana/ignition-sync.json', import.meta.url);

/** PromQL words that are not metric names: functions, aggregations, operators, keywords. */
const PROMQL_WORDS = new Set([
  'sum',
  'min',
  'max',
  'avg',
  'count',
  'topk',
  'bottomk',
  'quantile',
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'offset',
  'bool',
  'rate',
  'irate',
  'increase',
  'delta',
  'deriv',
  'histogram_quantile',
  'clamp_min',
  'clamp_max',
  'abs',
  'absent',
  'time',
  'vector',
  'scalar',
  'label_values',
]);

interface Selector {
  readonly metric: string;
  readonly labels: readonly string[];
}

/**
 * The metric selectors of one PromQL expression: every identifier that is not a PromQL word, a label in
 * `by (...)`/`without (...)`, inside a `{...}` matcher, a `[...]` range, a string or a `$variable`; with the
 * label names its `{...}` matches on. `label_values(metric, label)` (a Grafana variable query) names its label
 * as a second argument.
 */
function selectorsOf(expr: string): Selector[] {
  const out: Selector[] = [];
  const text = expr
    .replace(/\blabel_values\(([^,]+),\s*[a-zA-Z_][a-zA-Z0-9_]*\s*\)/g, '$1')
    .replace(/\b(by|without|on|ignoring)\s*\([^)]*\)/g, '')
    .replace(/\[[^\]]*\]/g, '');
  const re = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?|"(?:[^"\\]|\\.)*"|\$[a-zA-Z_]+|\d+(\.\d+)?/g;
  for (const m of text.matchAll(re)) {
    const [whole, name, matchers] = m;
    if (name === undefined || whole.startsWith('"') || whole.startsWith('$')) continue;
    if (PROMQL_WORDS.has(name)) continue;
    const labels = [...(matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map(
      (l) => l[1] ?? '',
    );
    out.push({ metric: name, labels });
  }
  return out;
}

interface Known {
  readonly type: string;
  readonly labels: readonly string[];
}

async function knownMetrics(): Promise<Map<string, Known>> {
  const metrics = new IgnitionSyncMetrics(createMetricsRegistry({ defaultMetrics: false }));
  const known = new Map<string, Known>();
  for (const m of await metrics.registry.getMetricsAsJSON()) {
    const { labelNames } = metrics.registry.getSingleMetric(m.name) as unknown as { labelNames: string[] };
    known.set(m.name, { type: String(m.type), labels: labelNames });
  }
  return known;
}

/** Problems of one expression against the registry: unknown metrics, series suffixes, label names. */
function problemsOf(expr: string, known: ReadonlyMap<string, Known>): string[] {
  const problems: string[] = [];
  for (const { metric, labels } of selectorsOf(expr)) {
    const base = metric.replace(/_(bucket|sum|count)$/, '');
    const entry = known.get(metric) ?? (base !== metric ? known.get(base) : undefined);
    if (entry === undefined) {
      problems.push(`${metric}: not a metric of the shared registry`);
      continue;
    }
    if (base !== metric && entry.type !== 'histogram') problems.push(`${metric}: ${base} is not a histogram`);
    const allowed = new Set([...entry.labels, ...(metric.endsWith('_bucket') ? ['le'] : [])]);
    for (const l of labels) if (!allowed.has(l)) problems.push(`${metric}: no label ${l}`);
  }
  return problems;
}

interface Dashboard {
  readonly panels: readonly {
    readonly title: string;
    readonly targets?: readonly { readonly expr: string }[];
  }[];
  readonly templating: { readonly list: readonly { readonly type: string; readonly query?: unknown }[] };
}

async function expressions(): Promise<{ where: string; expr: string }[]> {
  const dashboard = JSON.parse(await readFile(DASHBOARD, 'utf8')) as Dashboard;
  const out = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: p.title, expr: t.expr })),
  );
  for (const v of dashboard.templating.list) {
    if (v.type !== 'query') continue;
    const q = v.query;
    const expr = typeof q === 'string' ? q : (q as { query?: string } | undefined)?.query;
    if (expr !== undefined) out.push({ where: 'variable', expr });
  }
  return out;
}

describe('deploy/grafana/ignition-sync.json', () => {
  it('every PromQL expression names only metrics (and labels) of the shared registry', async () => {
    const known = await knownMetrics();
    const exprs = await expressions();
    expect(exprs.length).toBeGreaterThan(10);
    const problems = exprs.flatMap(({ where, expr }) => problemsOf(expr, known).map((p) => `${where}: ${p}`));
    expect(problems).toEqual([]);
  });

  it('shows what the issue asks for: sync rate and reasons, p50/p95 duration, lag, behind, queue, webhooks, waits', async () => {
    const used = new Set((await expressions()).flatMap(({ expr }) => selectorsOf(expr).map((s) => s.metric)));
    for (const metric of [
      'ignition_sync_sync_results_total',
      'ignition_sync_sync_duration_seconds_bucket',
      'ignition_sync_commit_lag_seconds_bucket',
      'ignition_sync_gateways_behind',
      'ignition_sync_work_queue_depth',
      'ignition_sync_webhook_requests_total',
      'ignition_sync_rate_limit_waits_total',
      'ignition_sync_rate_limit_wait_seconds_bucket',
    ])
      expect(used).toContain(metric);
    const text = (await expressions()).map((e) => e.expr).join('\n');
    expect(text).toContain(
      'histogram_quantile(0.5, sum by (le) (rate(ignition_sync_sync_duration_seconds_bucket',
    );
    expect(text).toContain(
      'histogram_quantile(0.95, sum by (le) (rate(ignition_sync_sync_duration_seconds_bucket',
    );
  });

  it('the check catches a renamed metric, a wrong suffix and a wrong label', async () => {
    const known = await knownMetrics();
    expect(problemsOf('sum(rate(ignition_sync_sync_result_total[5m]))', known)).toEqual([
      'ignition_sync_sync_result_total: not a metric of the shared registry',
    ]);
    expect(problemsOf('ignition_sync_gateways_behind_count', known)).toEqual([
      'ignition_sync_gateways_behind_count: ignition_sync_gateways_behind is not a histogram',
    ]);
    expect(problemsOf('ignition_sync_gateways_behind{gateway="a"}', known)).toEqual([
      'ignition_sync_gateways_behind: no label gateway',
    ]);
    expect(
      problemsOf(
        'histogram_quantile(0.95, sum by (le) (rate(ignition_sync_sync_duration_seconds_bucket{result="Synced", le!=""}[$__rate_interval])))',
        known,
      ),
    ).toEqual([]);
  });
});
