import type { BenchResults, EngineScenario, ScenarioResult } from '../scenarios/results.ts';

export type VerdictStatus = 'met' | 'missed' | 'not measured';

export interface Verdict {
  readonly target: string;
  readonly status: VerdictStatus;
  readonly measured: string;
}

const RSYNC = 'rsync -a --delete';

function find(results: BenchResults, scenario: EngineScenario, size: number): ScenarioResult | undefined {
  return results.scenarios.find((s) => s.mode === 'engine' && s.scenario === scenario && s.size === size);
}

function engineSizes(results: BenchResults, scenario: EngineScenario): ScenarioResult[] {
  return results.scenarios.filter(
    (s) => s.mode === 'engine' && s.scenario === scenario && s.median_ms !== null,
  );
}

function status(ok: boolean | undefined): VerdictStatus {
  return ok === undefined ? 'not measured' : ok ? 'met' : 'missed';
}

/** Evaluates the targets (goals reported against, never asserted in tests). */
export function computeVerdicts(results: BenchResults): Verdict[] {
  const verdicts: Verdict[] = [];
  const oneFile20k = find(results, 'incremental-one-file', 20000)?.ratios[RSYNC];
  verdicts.push({
    target: 'incremental one-file ≤ 0.2× rsync at 20k files',
    status: status(oneFile20k === undefined ? undefined : oneFile20k <= 0.2),
    measured: oneFile20k === undefined ? '—' : `${oneFile20k}× rsync`,
  });
  const small = find(results, 'incremental-one-file', 2000)?.median_ms ?? null;
  const large = find(results, 'incremental-one-file', 100000)?.median_ms ?? null;
  const growth = small !== null && large !== null ? large / small : undefined;
  verdicts.push({
    target: 'incremental one-file nearly flat 2k → 100k (≤ 2× for 50× the files)',
    status: status(growth === undefined ? undefined : growth <= 2),
    measured: growth === undefined ? '—' : `${small} ms → ${large} ms (${growth.toFixed(2)}×)`,
  });
  verdicts.push(perSize(results, 'cold', 'cp -a', 1.5, 'cold sync ≤ 1.5× cp -a'));
  verdicts.push(perSize(results, 'no-op', RSYNC, 0.5, 'no-op ≤ 0.5× rsync'));
  const fan50 = results.fanout.find((f) => f.gateways === 50);
  verdicts.push({
    target: '50-gateway fan-out p95 ≤ 5 s',
    status: status(fan50 === undefined ? undefined : fan50.p95_ms <= 5000),
    measured: fan50 === undefined ? '—' : `p95 ${(fan50.p95_ms / 1000).toFixed(2)} s`,
  });
  const rss100k = results.scenarios
    .filter((s) => s.size === 100000 && s.rss_mb !== null)
    .map((s) => s.rss_mb ?? 0);
  const peak = rss100k.length === 0 ? undefined : Math.max(...rss100k);
  verdicts.push({
    target: 'runner RSS ≤ 150 MB at 100k files',
    status: status(peak === undefined ? undefined : peak <= 150),
    measured: peak === undefined ? '—' : `peak ${peak} MB`,
  });
  return verdicts;
}

function perSize(
  results: BenchResults,
  scenario: EngineScenario,
  baseline: 'cp -a' | typeof RSYNC,
  limit: number,
  target: string,
): Verdict {
  const rows = engineSizes(results, scenario).filter((s) => s.ratios[baseline] !== undefined);
  if (rows.length === 0) return { target, status: 'not measured', measured: '—' };
  const ok = rows.every((s) => (s.ratios[baseline] ?? Number.POSITIVE_INFINITY) <= limit);
  const measured = rows.map((s) => `${sizeLabel(s.size)}: ${s.ratios[baseline]}×`).join(', ');
  return { target: `${target} (every size)`, status: ok ? 'met' : 'missed', measured };
}

export function sizeLabel(size: number): string {
  return size >= 1000 ? `${Math.round(size / 1000)}k` : String(size);
}
