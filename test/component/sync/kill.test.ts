import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readAppliedState, type SourceChange, syncDataDir } from '../../../src/sync/index.ts';
import { contentsOf, makeTempDir, readTree, removeDir, writeTree } from './tree-fixture.ts';

// Interrupts the apply with SIGKILL at random points, many times, while a reader watches the live files.
// Every file content is self-describing (`BEGIN:<tag>:<padding>:END:<length>`), so a torn read is detected.

const CHILD = fileURLToPath(new URL('./kill-child.ts', import.meta.url));
const PROFILE = {
  mappings: [
    { source: 'svc/projects', destination: 'projects' },
    { source: 'svc/core', destination: 'config/resources/core' },
  ],
};
const GATEWAY = { 'gateway.xml': 'gw', 'config/local/uuid.txt': 'uuid', 'projects/.resources/c': 'cache' };
const VERSIONS = 4;
const FILES = 120;

function body(tag: string, size: number): string {
  const head = `BEGIN:${tag}:`;
  const tail = ':END:';
  const padding = 'x'.repeat(Math.max(0, size - head.length - tail.length - 8));
  const text = `${head}${padding}${tail}`;
  return `${text}${String(text.length + 8).padStart(8, '0')}`;
}

function isWhole(text: string): boolean {
  const m = /^BEGIN:[^:]+:x*:END:(\d{8})$/.exec(text);
  return m !== null && Number(m[1]) === text.length;
}

/** Version v of the repository: a shifting subset of files with version-specific contents and sizes. */
function version(v: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < FILES; i += 1) {
    if ((i + v) % 5 === 0) continue; // a different fifth of the files is absent in each version
    const dir =
      i % 2 === 0 ? `svc/projects/P${i % 7}/views/v${i % 11}` : `svc/core/ignition/t${i % 5}/r${i % 13}`;
    const isStable = i % 3 === 0; // a third never changes, a third alternates, a third changes every version
    const size = i % 16 === 1 ? 1_500_000 : 200 + ((i * 997 + v * 131) % 24_000); // a few large files
    const tag = isStable ? `s${i}` : i % 3 === 1 ? `p${v % 2}-${i}` : `v${v}-${i}`;
    out[`${dir}/f${i}.json`] = body(tag, isStable ? 300 : size);
  }
  return out;
}

function expectedLive(v: number): Record<string, string> {
  const out: Record<string, string> = { ...GATEWAY };
  for (const [path, text] of Object.entries(version(v))) {
    out[path.replace('svc/projects/', 'projects/').replace('svc/core/', 'config/resources/core/')] = text;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
}

function changesBetween(from: number, to: number): SourceChange[] {
  const a = version(from);
  const b = version(to);
  const changes: SourceChange[] = [];
  for (const [p, t] of Object.entries(b))
    if (a[p] === undefined) changes.push({ status: 'A', path: p });
    else if (a[p] !== t) changes.push({ status: 'M', path: p });
  for (const p of Object.keys(a)) if (b[p] === undefined) changes.push({ status: 'D', path: p });
  return changes;
}

function equalTrees(a: Record<string, string>, b: Record<string, string>): boolean {
  const strip = (t: Record<string, string>) =>
    JSON.stringify(Object.entries(t).filter(([p]) => !p.includes('.ignsync-tmp')));
  return strip(a) === strip(b);
}

async function checkoutVersion(sourceDir: string, v: number): Promise<void> {
  await rm(join(sourceDir, 'svc'), { recursive: true, force: true });
  await writeTree(sourceDir, version(v));
}

/** Reads live files until stopped; returns the torn ones. */
function watchForTornFiles(dataDir: string): { stop: () => Promise<string[]> } {
  let isRunning = true;
  const torn: string[] = [];
  const loop = (async () => {
    while (isRunning) {
      for (const top of ['projects', 'config/resources/core']) {
        const entries = await readdir(join(dataDir, top), { recursive: true }).catch(() => []);
        for (const rel of entries) {
          if (!rel.endsWith('.json') || rel.includes('.ignsync-tmp')) continue;
          const text = await readFile(join(dataDir, top, rel), 'utf8').catch(() => null);
          if (text !== null && !isWhole(text)) torn.push(`${top}/${rel}`);
        }
      }
    }
  })();
  return {
    stop: async () => {
      isRunning = false;
      await loop;
      return torn;
    },
  };
}

interface ChildRun {
  readonly outcome: 'killed' | 'completed';
  /** Milliseconds from the child's "ready" (just before the sync) to "done"; undefined when killed. */
  readonly syncMs: number | undefined;
  /** Mutations the completed sync made (from the child's "done <n>"). */
  readonly steps: number | undefined;
}

function runChildAndKill(input: object, killAfterMs: number): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let readyAt = 0;
    let syncMs: number | undefined;
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (readyAt === 0 && out.startsWith('ready\n')) {
        readyAt = performance.now();
        if (Number.isFinite(killAfterMs)) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
      if (syncMs === undefined && out.includes('done')) syncMs = performance.now() - readyAt;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const steps = /done (\d+)/.exec(out)?.[1];
      const result = { syncMs, steps: steps === undefined ? undefined : Number(steps) };
      if (signal === 'SIGKILL')
        resolve({ outcome: syncMs === undefined ? 'killed' : 'completed', ...result });
      else if (code === 0) resolve({ outcome: 'completed', ...result });
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

interface KillPlan {
  readonly killAfterMs: number;
  readonly killAtStep?: number;
}

interface Learned {
  readonly syncMs: number;
  readonly steps: number;
}

/**
 * Runs `rounds` interrupted syncs from version X to X+1; after each, an uninterrupted run to X+2 must converge.
 * X+2 has the same alternating files as X, so a run that trusted a stale manifest (applied X, diff X..X+2)
 * would skip rewriting the files the killed run had already changed to X+1's content.
 */
async function runKillScenario(
  rounds: number,
  chooseKill: (round: number, learned: Learned) => KillPlan,
): Promise<{ killed: number; mixed: number; torn: string[] }> {
  const sourceDir = await makeTempDir('kill-repo');
  const dataDir = await makeTempDir('kill-data');
  try {
    await writeTree(dataDir, GATEWAY);
    const applied = new Map<string, number>();
    let current = 0;
    let killed = 0;
    let mixed = 0;
    let learned: Learned = { syncMs: 100, steps: 100 };
    const torn: string[] = [];
    const changesSinceApplied = async (target: number) => {
      const state = await readAppliedState(dataDir);
      const from = state === null ? undefined : applied.get(state.commit);
      return state !== null && from !== undefined
        ? { changes: changesBetween(from, target), changesFrom: state.commit }
        : {};
    };
    for (let round = 0; round < rounds; round += 1) {
      const target = (current + 1) % VERSIONS;
      await checkoutVersion(sourceDir, target);
      const commit = `v${target}-r${round}`;
      applied.set(commit, target);
      const input = { sourceDir, dataDir, commit, profile: PROFILE, ...(await changesSinceApplied(target)) };
      const kill = chooseKill(round, learned);
      const watcher = watchForTornFiles(dataDir);
      const run = await runChildAndKill({ ...input, killAtStep: kill.killAtStep }, kill.killAfterMs);
      if (run.syncMs !== undefined && run.steps !== undefined)
        learned = { syncMs: run.syncMs, steps: run.steps };
      torn.push(...(await watcher.stop()));
      if (run.outcome === 'killed') killed += 1;
      // what the kill left behind: every file whole (old or new content), possibly a mix of both versions
      const leftover = contentsOf(await readTree(dataDir, ['.ignition-sync']));
      for (const [path, text] of Object.entries(leftover)) {
        if (!(path in GATEWAY) && !path.includes('.ignsync-tmp') && !isWhole(text))
          torn.push(`${path} (after kill)`);
      }
      if (!equalTrees(leftover, expectedLive(target)) && !equalTrees(leftover, expectedLive(current)))
        mixed += 1;

      // the next run converges, whatever state the kill left
      const next = (current + 2) % VERSIONS;
      await checkoutVersion(sourceDir, next);
      applied.set(`${commit}-next`, next);
      const rerun = { ...input, commit: `${commit}-next`, ...(await changesSinceApplied(next)) };
      await syncDataDir(rerun);
      expect(contentsOf(await readTree(dataDir, ['.ignition-sync']))).toEqual(expectedLive(next));
      current = next;
    }
    const verify = await syncDataDir({ sourceDir, dataDir, commit: 'final', profile: PROFILE, verify: true });
    expect([verify.added, verify.modified, verify.deleted, verify.drift]).toEqual([[], [], [], []]);
    return { killed, mixed, torn };
  } finally {
    await removeDir(sourceDir);
    await removeDir(dataDir);
  }
}

describe('kill test', () => {
  it('SIGKILL at random moments: every rerun converges and no file is ever seen torn', async () => {
    // round 0 runs to completion to learn how long a sync takes; later kills land uniformly inside that window
    const result = await runKillScenario(6, (round, learned) => ({
      killAfterMs: round === 0 ? Number.POSITIVE_INFINITY : Math.random() * learned.syncMs,
    }));
    expect(result.torn).toEqual([]);
    expect(result.killed).toBeGreaterThanOrEqual(2);
  });

  it('SIGKILL right before the Nth filesystem mutation (marker, deletes, writes, manifest, state): converges', async () => {
    const result = await runKillScenario(10, (round, learned) => {
      const special = [undefined, 1, 2, learned.steps, learned.steps - 1];
      const step = special[round] ?? 1 + Math.floor(Math.random() * learned.steps);
      return { killAfterMs: Number.POSITIVE_INFINITY, ...(round === 0 ? {} : { killAtStep: step }) };
    });
    expect(result.torn).toEqual([]);
    expect(result.killed).toBeGreaterThanOrEqual(7);
    expect(result.mixed).toBeGreaterThanOrEqual(3); // the kills really landed mid-apply (a mix of two versions)
  });
});
