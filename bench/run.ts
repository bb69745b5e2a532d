/**
 * `npm run bench` — the benchmark suite (not part of `npm test`). See bench/README.md.
 *
 *   node bench/run.ts                 full run: 2k, 20k, 100k files + fan-out → bench/results/latest.{json,md}
 *   node bench/run.ts --quick         2k only, 3 runs, 10-gateway fan-out → bench/work/partial.{json,md}
 *   --sizes 2k,20k   --runs N   --no-fanout   --gateways 10,50   --drop-caches   --seed N
 *   --sizes none     skips the file-count scenarios (e.g. fan-out only)
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureBenchRepo } from './generator/ensure-bench-repo.ts';
import { runCommand } from './measure/run-timed.ts';
import { renderMarkdown } from './report/render-markdown.ts';
import { runCycleSuite } from './scenarios/cycle-suite.ts';
import { runEngineSuite } from './scenarios/engine-suite.ts';
import { runFanout } from './scenarios/fanout-suite.ts';
import type { BenchResults, FanoutResult, RunPlan, ScenarioResult } from './scenarios/results.ts';

const BENCH_DIR = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH_DIR, '..');
const WORK_DIR = join(BENCH_DIR, 'work');

/** Runs per size: chosen so the full suite stays within 15 minutes on 2 shared cores. */
const DEFAULT_RUNS: Readonly<Record<number, RunPlan>> = {
  2000: { light: 5, heavy: 3, cycleCold: 3, cycle: 5, coldRsync: true },
  20000: { light: 5, heavy: 3, cycleCold: 1, cycle: 3, coldRsync: true },
  100000: { light: 3, heavy: 1, cycleCold: 0, cycle: 0, coldRsync: false },
};

function parseSize(label: string): number {
  const m = /^(\d+)(k?)$/.exec(label.trim());
  if (m === null) throw new Error(`invalid size ${JSON.stringify(label)} (use e.g. 2k, 20k, 100k)`);
  return Number(m[1]) * (m[2] === 'k' ? 1000 : 1);
}

const { values } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    sizes: { type: 'string' },
    runs: { type: 'string' },
    'no-fanout': { type: 'boolean', default: false },
    gateways: { type: 'string' },
    'drop-caches': { type: 'boolean', default: false },
    seed: { type: 'string', default: '1' },
    source: { type: 'string' },
  },
});

// The baselines are real tools: without them the benchmark would fail minutes in with ENOENT.
for (const [tool, pkg] of [
  ['rsync', 'rsync'],
  ['git', 'git'],
] as const) {
  const found = (process.env.PATH ?? '').split(':').some((dir) => dir !== '' && existsSync(join(dir, tool)));
  if (!found) {
    process.stderr.write(
      `bench: ${tool} not found (a baseline needs it): install it with \`sudo apt-get install ${pkg}\`\n`,
    );
    process.exit(1);
  }
}

const quick = values.quick === true;
const sizeList = values.sizes ?? (quick ? '2k' : '2k,20k,100k');
const sizes = sizeList === 'none' ? [] : sizeList.split(',').map(parseSize);
const seed = Number(values.seed);
const started = performance.now();
const log = (line: string): void => {
  process.stderr.write(`[bench ${((performance.now() - started) / 1000).toFixed(0)}s] ${line}\n`);
};
const hasEngine = existsSync(join(ROOT, 'src/sync/index.ts'));
const skipped: string[] = [];
if (!hasEngine) skipped.push('engine scenarios: src/sync/index.ts not present');

const repos: BenchResults['repos'][number][] = [];
const scenarios: ScenarioResult[] = [];
for (const size of sizes) {
  log(`repository ${size} files (seed ${seed})`);
  const repo = await ensureBenchRepo({ size, seed, workDir: WORK_DIR });
  repos.push({
    size,
    files: { ...repo.fileCounts },
    pack_bytes: repo.baseBytes,
    generated_ms: repo.generatedMs,
  });
  const fixed = values.runs === undefined ? undefined : Number(values.runs);
  const runs: RunPlan =
    fixed !== undefined
      ? { light: fixed, heavy: fixed, cycleCold: fixed, cycle: fixed, coldRsync: true }
      : quick
        ? { light: 3, heavy: 2, cycleCold: 1, cycle: 3, coldRsync: true }
        : (DEFAULT_RUNS[size] ?? { light: 3, heavy: 1, cycleCold: 1, cycle: 3, coldRsync: true });
  const dropCaches = values['drop-caches'] === true;
  scenarios.push(...(await runEngineSuite({ repo, runs, workDir: WORK_DIR, dropCaches, hasEngine, log })));
  // The whole cycle needs a fetched checkout + synced data dir first (a full clone + apply, minutes at 100k).
  if (hasEngine && runs.cycle > 0)
    scenarios.push(...(await runCycleSuite({ repo, runs, workDir: WORK_DIR, dropCaches, log })));
}
const fanout: FanoutResult[] = [];
if (values['no-fanout'] !== true) {
  const repo = await ensureBenchRepo({ size: 2000, seed, workDir: WORK_DIR });
  const fleets =
    values.gateways !== undefined ? values.gateways.split(',').map(Number) : quick ? [10] : [10, 50];
  for (const gateways of fleets) {
    const rollouts = quick ? 3 : gateways >= 50 ? 3 : 4;
    fanout.push(await runFanout({ repo, gateways, rollouts, workDir: WORK_DIR, log }));
  }
}

async function describeSource(): Promise<string> {
  try {
    const head = (await runCommand('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD'])).trim();
    const dirty = (await runCommand('git', ['-C', ROOT, 'status', '--porcelain', '--', 'src'])).trim() !== '';
    return dirty ? `${head} + uncommitted changes in src/` : head;
  } catch {
    return 'unknown (not a git checkout; pass --source)';
  }
}

const version = async (cmd: string, args: string[]): Promise<string> =>
  (await runCommand(cmd, args)).split('\n')[0]?.trim() ?? cmd;
const results: BenchResults = {
  generated_at: new Date().toISOString(),
  machine: {
    cpus: cpus().length,
    node: process.version,
    git: await version('git', ['--version']),
    rsync: (await version('rsync', ['--version'])).replace(/\s+protocol.*$/, ''),
  },
  options: { quick, drop_caches: values['drop-caches'] === true, seed },
  source: values.source ?? (await describeSource()),
  repos,
  scenarios,
  fanout,
  duration_ms: Math.round(performance.now() - started),
  skipped,
};
const outDir = quick || values.sizes !== undefined ? WORK_DIR : join(BENCH_DIR, 'results');
const outName = quick || values.sizes !== undefined ? 'partial' : 'latest';
await mkdir(outDir, { recursive: true });
await writeFile(join(outDir, `${outName}.json`), `${JSON.stringify(results, null, 2)}\n`);
const markdown = renderMarkdown(results);
await writeFile(join(outDir, `${outName}.md`), markdown);
process.stdout.write(markdown);
log(`done in ${(results.duration_ms / 1000).toFixed(0)} s → ${join(outDir, outName)}.{json,md}`);
