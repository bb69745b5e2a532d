/**
 * CPU profile of one engine sync on a bench repository, for finding what to optimise:
 *
 *   node bench/profile-engine.ts --size 20k --scenario cold|one-file|one-percent|rename|delete-heavy|verify
 *
 * Only the measured sync is profiled (setup is not). Writes bench/work/profile-<size>-<scenario>.cpuprofile
 * (open it in Chrome DevTools) and prints the functions with the most self time, the engine functions
 * with the most inclusive time, and the functions that allocated the most memory during the sync.
 */
import { writeFile } from 'node:fs/promises';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadEngine } from './engine/load-engine.ts';
import { ensureBenchRepo } from './generator/ensure-bench-repo.ts';
import type { CommitName } from './generator/plan-change-series.ts';
import { diffCommits } from './scenarios/commit-diff.ts';
import { resetDir } from './scenarios/run-rotated.ts';

const WORK_DIR = fileURLToPath(new URL('./work', import.meta.url));
const { values } = parseArgs({
  options: { size: { type: 'string', default: '20k' }, scenario: { type: 'string', default: 'cold' } },
});
const size = Number.parseInt(values.size, 10) * (values.size.endsWith('k') ? 1000 : 1);
const repo = await ensureBenchRepo({ size, seed: 1, workDir: WORK_DIR });
const engine = await loadEngine();
const dataDir = join(WORK_DIR, 'profile', 'data');
await resetDir(dataDir);
/** Profiled step per scenario: the data dir is first synced (unprofiled) to `from`, then to `to`. */
const SCENARIOS: Record<string, { from: CommitName | null; to: CommitName; verify?: boolean }> = {
  cold: { from: null, to: 'base' },
  'one-file': { from: 'base', to: 'one-file' },
  'one-percent': { from: 'one-file', to: 'one-percent' },
  rename: { from: 'one-percent', to: 'rename' },
  'delete-heavy': { from: 'rename', to: 'delete-heavy' },
  verify: { from: 'base', to: 'base', verify: true },
};
const scenario = SCENARIOS[values.scenario];
if (scenario === undefined) throw new Error(`--scenario must be one of ${Object.keys(SCENARIOS).join(', ')}`);
const stepTo = async (from: CommitName | null, to: CommitName, verify = false) =>
  ({
    kind: 'sync',
    dataDir,
    sourceDir: repo.worktrees[to],
    commit: repo.commits[to],
    changes: from === null ? null : await diffCommits(repo.gitDir, repo.commits[from], repo.commits[to]),
    changesFrom: from === null ? null : repo.commits[from],
    verify,
    expectApplied: null,
  }) as const;
if (scenario.from !== null) await engine.sync(await stepTo(null, scenario.from));
const step = await stepTo(scenario.from, scenario.to, scenario.verify);
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', {
  samplingInterval: 16384,
  includeObjectsCollectedByMajorGC: true,
  includeObjectsCollectedByMinorGC: true,
});
const started = performance.now();
const result = await engine.sync(step);
const ms = performance.now() - started;
const { profile } = await session.post('Profiler.stop');
const { profile: heap } = await session.post('HeapProfiler.stopSampling');
const file = join(WORK_DIR, `profile-${values.size}-${values.scenario}.cpuprofile`);
await writeFile(file, JSON.stringify(profile));

// Self time per function (the sample's leaf) and inclusive time per engine function (anywhere on the stack).
const selfUs = new Map<string, number>();
const inclusiveUs = new Map<string, number>();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parentOf = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parentOf.set(c, n.id);
const nameOf = (id: number): string => {
  const f = byId.get(id)?.callFrame;
  if (f === undefined) return '?';
  const where =
    f.url === '' ? '' : ` ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
};
const deltas = profile.timeDeltas ?? [];
for (const [i, id] of (profile.samples ?? []).entries()) {
  const us = deltas[i] ?? 0;
  selfUs.set(nameOf(id), (selfUs.get(nameOf(id)) ?? 0) + us);
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const name = nameOf(at);
    if (!name.includes(' src/') || seen.has(name)) continue;
    seen.add(name);
    inclusiveUs.set(name, (inclusiveUs.get(name) ?? 0) + us);
  }
}
// Bytes allocated per function during the sync (sampled; includes garbage already collected).
const allocated = new Map<string, number>();
const walk = (node: (typeof heap)['head']): void => {
  const f = node.callFrame;
  const where =
    f.url === '' ? '' : ` ${f.url.replace(/^.*\/(src|node_modules)\//, '$1/')}:${f.lineNumber + 1}`;
  const key = `${f.functionName || '(anonymous)'}${where}`;
  allocated.set(key, (allocated.get(key) ?? 0) + node.selfSize);
  for (const child of node.children) walk(child);
};
walk(heap.head);
const print = (title: string, map: Map<string, number>, unit: 'ms' | 'MB'): void => {
  process.stdout.write(`${title}\n`);
  for (const [name, value] of [...map].sort((a, b) => b[1] - a[1]).slice(0, 15)) {
    const shown = unit === 'ms' ? value / 1000 : value / 1048576;
    process.stdout.write(`${shown.toFixed(0).padStart(7)} ${unit}  ${name}\n`);
  }
};
const mem = process.memoryUsage();
const mb = (n: number): string => `${(n / 1048576).toFixed(0)} MB`;
process.stdout.write(`${values.scenario} @${size}: ${ms.toFixed(0)} ms, ${JSON.stringify(result)}\n`);
process.stdout.write(
  `memory after: rss ${mb(mem.rss)} (peak ${mb(process.resourceUsage().maxRSS * 1024)}), heap used ${mb(mem.heapUsed)} of ${mb(mem.heapTotal)}, external ${mb(mem.external)}, array buffers ${mb(mem.arrayBuffers)}\n`,
);
print('self time:', selfUs, 'ms');
print('inclusive time, engine functions (src/):', inclusiveUs, 'ms');
print('allocated during the sync, by allocating function:', allocated, 'MB');
process.stdout.write(`profile: ${file}\n`);
