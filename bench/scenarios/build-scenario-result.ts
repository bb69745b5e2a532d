import type { StepResult } from '../engine/worker-protocol.ts';
import { median, round } from '../measure/stats.ts';
import type { BaselineName, EngineScenario, Sample, ScenarioResult } from './results.ts';

export interface ScenarioSamples {
  readonly scenario: EngineScenario;
  readonly mode: 'engine' | 'cycle';
  readonly size: number;
  readonly runs: number;
  /** `engine` plus one list per baseline name. */
  readonly samples: Readonly<Record<string, readonly number[]>>;
  readonly last: StepResult | undefined;
  readonly rssKb: number | null;
  readonly extra?: Pick<ScenarioResult, 'git_ms' | 'git_requests' | 'note'>;
}

const BASELINES: readonly BaselineName[] = [
  'cp -a',
  'rsync -a --delete',
  'rsync -a --delete --checksum',
  'git fetch + checkout + rsync',
];

/** Medians, ratios (engine median / baseline median) and the sanity summary of one scenario. */
export function buildScenarioResult(input: ScenarioSamples): ScenarioResult {
  const engineSamples = input.samples.engine ?? [];
  const engineMedian = engineSamples.length > 0 ? median(engineSamples) : null;
  const baselines: Partial<Record<BaselineName, Sample>> = {};
  const ratios: Partial<Record<BaselineName, number>> = {};
  for (const name of BASELINES) {
    const values = input.samples[name];
    if (values === undefined || values.length === 0) continue;
    const m = median(values);
    baselines[name] = { median_ms: round(m), samples_ms: values.map(round) };
    if (engineMedian !== null) ratios[name] = round(engineMedian / m);
  }
  const { last } = input;
  return {
    scenario: input.scenario,
    mode: input.mode,
    size: input.size,
    runs: input.runs,
    median_ms: engineMedian === null ? null : round(engineMedian),
    samples_ms: engineSamples.map(round),
    rss_mb: input.rssKb === null ? null : round(input.rssKb / 1024),
    files:
      last === undefined
        ? null
        : { strategy: last.strategy, added: last.added, modified: last.modified, deleted: last.deleted },
    baselines,
    ratios,
    ...input.extra,
  };
}
