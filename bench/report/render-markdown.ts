import type { BenchResults, ScenarioResult } from '../scenarios/results.ts';
import { computeVerdicts, sizeLabel } from './verdicts.ts';

const RSYNC = 'rsync -a --delete';
const CP = 'cp -a';
const CYCLE = 'git fetch + checkout + rsync';

function ms(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return value >= 1000 ? `${(value / 1000).toFixed(2)} s` : `${value.toFixed(value < 10 ? 1 : 0)} ms`;
}

function ratio(value: number | undefined): string {
  return value === undefined ? '—' : `${value.toFixed(2)}×`;
}

function scenarioRow(s: ScenarioResult): string {
  const files =
    s.files === null
      ? '—'
      : `${s.files.strategy}: +${s.files.added} ~${s.files.modified} −${s.files.deleted}`;
  const base = s.mode === 'cycle' ? s.baselines[CYCLE] : s.baselines[RSYNC];
  const baseRatio = s.mode === 'cycle' ? s.ratios[CYCLE] : s.ratios[RSYNC];
  return `| ${sizeLabel(s.size)} | ${s.mode === 'cycle' ? `${s.scenario} (whole cycle)` : s.scenario} | ${ms(s.median_ms)} | ${ms(s.baselines[CP]?.median_ms)} | ${ratio(s.ratios[CP])} | ${ms(base?.median_ms)} | ${ratio(baseRatio)} | ${s.rss_mb ?? '—'} | ${files} | ${s.runs} |`;
}

/** The Markdown report: results table, scaling, fan-out, target verdicts. */
export function renderMarkdown(results: BenchResults): string {
  const lines: string[] = [];
  lines.push(
    `Measured ${results.generated_at} on ${results.machine.cpus} CPUs (${results.machine.node}, ${results.machine.git}, ${results.machine.rsync}); code ${results.source}; medians of the runs shown; ${results.options.drop_caches ? 'page cache dropped before every timed operation' : 'warm page cache for engine and baselines alike'}.`,
  );
  lines.push('');
  lines.push(
    '| files | scenario | ignition-sync | cp -a | ×cp | rsync (cycle: git+rsync) | ×rsync | RSS MB | changed (+ ~ −) | runs |',
  );
  lines.push('|---:|---|---:|---:|---:|---:|---:|---:|---|---:|');
  for (const s of results.scenarios) lines.push(scenarioRow(s));
  const oneFile = results.scenarios.filter(
    (s) => s.mode === 'engine' && s.scenario === 'incremental-one-file',
  );
  if (oneFile.length > 0) {
    lines.push(
      '',
      '**Scaling, incremental one-file:** ' +
        oneFile
          .map((s) => `${sizeLabel(s.size)} ${ms(s.median_ms)} (rsync ${ms(s.baselines[RSYNC]?.median_ms)})`)
          .join(' → '),
    );
  }
  if (results.fanout.length > 0) {
    lines.push(
      '',
      '| gateways | files | rollouts | p50 | p95 | max | git requests / rollout | runner RSS MB | CPU / rollout (runner, simulators) |',
    );
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
    for (const f of results.fanout) {
      lines.push(
        `| ${f.gateways} | ${sizeLabel(f.size)} | ${f.rollouts} | ${ms(f.p50_ms)} | ${ms(f.p95_ms)} | ${ms(f.max_ms)} | ${f.git_requests_per_rollout} | ${f.runner_rss_mb ?? '—'} | ${ms(f.runner_cpu_ms_per_rollout)}, ${ms(f.simulators_cpu_ms_per_rollout)} |`,
      );
    }
  }
  lines.push('', '| target | verdict | measured |', '|---|---|---|');
  for (const v of computeVerdicts(results)) lines.push(`| ${v.target} | ${v.status} | ${v.measured} |`);
  if (results.skipped.length > 0) lines.push('', `Skipped: ${results.skipped.join('; ')}.`);
  return `${lines.join('\n')}\n`;
}
