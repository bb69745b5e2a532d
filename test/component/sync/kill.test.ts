import { spawn } from 'node:child_process';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
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
const FILES = 160;

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
    const isStable = i % 3 === 0; // a third never changes
    const size = i % 40 === 1 ? 1_500_000 : 200 + ((i * 997 + v * 131) % 24_000); // a few large files
    out[`${dir}/f${i}.json`] = body(isStable ? `s${i}` : `v${v}-${i}`, isStable ? 300 : size);
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

function runChildAndKill(input: object, killAfterMs: number): Promise<'killed' | 'completed'> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CHILD, JSON.stringify(input)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.startsWith('ready\n') && !child.killed) setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out.includes('done') ? 'completed' : 'killed');
      else if (code === 0) resolve('completed');
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

describe('kill test', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await removeDir(d);
  });

  it('an apply SIGKILLed at random points always converges on the next run, and no file is ever seen torn', async () => {
    const sourceDir = await makeTempDir('kill-repo');
    const dataDir = await makeTempDir('kill-data');
    dirs.push(sourceDir, dataDir);
    await writeTree(dataDir, GATEWAY);
    const applied = new Map<string, number>();
    let current = 0;
    let killed = 0;
    let mixed = 0;
    const torn: string[] = [];
    for (let round = 0; round < 10; round += 1) {
      const target = (current + 1 + (round % (VERSIONS - 1))) % VERSIONS;
      await checkoutVersion(sourceDir, target);
      const commit = `v${target}-r${round}`;
      applied.set(commit, target);
      const state = await readAppliedState(dataDir);
      const from = state === null ? undefined : applied.get(state.commit);
      const input = {
        sourceDir,
        dataDir,
        commit,
        profile: PROFILE,
        ...(state !== null && from !== undefined
          ? { changes: changesBetween(from, target), changesFrom: state.commit }
          : {}),
      };
      const watcher = watchForTornFiles(dataDir);
      const outcome = await runChildAndKill(input, Math.floor(Math.random() * 120));
      torn.push(...(await watcher.stop()));
      if (outcome === 'killed') killed += 1;
      // what the kill left behind: every file whole (old or new content), possibly a mix of both versions
      const leftover = contentsOf(await readTree(dataDir, ['.ignition-sync']));
      for (const [path, text] of Object.entries(leftover)) {
        if (!(path in GATEWAY) && !path.includes('.ignsync-tmp') && !isWhole(text))
          torn.push(`${path} (after kill)`);
      }
      const isMixed =
        !equalTrees(leftover, expectedLive(target)) && !equalTrees(leftover, expectedLive(current));
      if (isMixed) mixed += 1;

      // the next run converges, whatever state the kill left
      const after = await readAppliedState(dataDir);
      const base = after === null ? undefined : applied.get(after.commit);
      await syncDataDir({
        ...input,
        ...(after !== null && base !== undefined
          ? { changes: changesBetween(base, target), changesFrom: after.commit }
          : {}),
      });
      expect(contentsOf(await readTree(dataDir, ['.ignition-sync']))).toEqual(expectedLive(target));
      current = target;
    }
    expect(torn).toEqual([]);
    expect(killed).toBeGreaterThanOrEqual(6);
    expect(mixed).toBeGreaterThanOrEqual(2); // some kills really landed mid-apply (a mix of two versions)
    const verify = await syncDataDir({ sourceDir, dataDir, commit: 'final', profile: PROFILE, verify: true });
    expect([verify.added, verify.modified, verify.deleted, verify.drift]).toEqual([[], [], [], []]);
  });
});
