import { execFile } from 'node:child_process';
import { existsSync, utimesSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { COMMITS, type CommitName, type PlannedCommit, planChangeSeries } from './plan-change-series.ts';
import { planRepository } from './plan-repository.ts';
import { writeFastImport } from './write-fast-import.ts';

const run = promisify(execFile);

/** Bump when the generated content changes, so stale caches are rebuilt. */
export const GENERATOR_VERSION = 1;

/** A generated repository with one checked-out worktree per commit of the change series. */
export interface BenchRepo {
  readonly size: number;
  readonly seed: number;
  /** Bare repository (served over smart HTTP / file:// to the whole-cycle scenarios). */
  readonly gitDir: string;
  readonly commits: Readonly<Record<CommitName, string>>;
  /** Worktree per commit; unchanged files carry the same mtime in every worktree (see below). */
  readonly worktrees: Readonly<Record<CommitName, string>>;
  readonly fileCounts: Readonly<Record<CommitName, number>>;
  readonly baseBytes: number;
  readonly generatedMs: number;
}

/**
 * Returns the cached repository for `size` + `seed` under `workDir`, generating it first if needed.
 * The cache key includes GENERATOR_VERSION; a half-written cache (no repo.json) is discarded.
 */
export async function ensureBenchRepo(options: {
  size: number;
  seed: number;
  workDir: string;
}): Promise<BenchRepo> {
  const { size, seed } = options;
  const dir = join(options.workDir, 'repos', `${size}-s${seed}-v${GENERATOR_VERSION}`);
  const metaFile = join(dir, 'repo.json');
  if (existsSync(metaFile)) return JSON.parse(await readFile(metaFile, 'utf8')) as BenchRepo;
  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const gitDir = join(dir, 'origin.git');
  await run('git', ['init', '--quiet', '--bare', '--initial-branch=main', gitDir]);
  // Served over http-backend by the whole-cycle scenarios.
  await run('git', ['--git-dir', gitDir, 'config', 'http.receivepack', 'false']);
  await run('git', ['--git-dir', gitDir, 'config', 'uploadpack.allowAnySHA1InWant', 'true']);
  const series = planChangeSeries(planRepository(size, seed), seed);
  const shas = await writeFastImportChecked(gitDir, series);
  const worktrees = {} as Record<CommitName, string>;
  for (const name of COMMITS) {
    const wt = join(dir, 'wt', name);
    await run('git', ['--git-dir', gitDir, 'worktree', 'add', '--quiet', '--detach', wt, shas[name]], {
      maxBuffer: 1 << 26,
    });
    await normalizeMtimes(gitDir, shas[name], wt);
    worktrees[name] = wt;
  }
  const fileCounts = {} as Record<CommitName, number>;
  for (const commit of series) fileCounts[commit.name] = commit.tree.files.size;
  const baseBytes = Number(
    (await run('git', ['--git-dir', gitDir, 'count-objects', '-v'])).stdout.match(/size-pack: (\d+)/)?.[1] ??
      0,
  );
  const repo: BenchRepo = {
    size,
    seed,
    gitDir,
    commits: shas,
    worktrees,
    fileCounts,
    baseBytes: baseBytes * 1024,
    generatedMs: Math.round(performance.now() - started),
  };
  await writeFile(metaFile, `${JSON.stringify(repo, null, 2)}\n`);
  return repo;
}

async function writeFastImportChecked(
  gitDir: string,
  series: readonly PlannedCommit[],
): Promise<Record<CommitName, string>> {
  const marks = await writeFastImport(gitDir, series);
  const out = {} as Record<CommitName, string>;
  for (const name of COMMITS) {
    const sha = marks.get(name);
    if (sha === undefined) throw new Error(`fast-import did not report commit ${name}`);
    out[name] = sha;
  }
  return out;
}

/**
 * Gives every file an mtime derived from its blob id. The same content then has the same mtime in
 * every worktree, which is what a user's single checkout looks like after `git pull` (only changed
 * files get a new mtime), so `rsync -a` quick-checks behave as they would in real use.
 */
async function normalizeMtimes(gitDir: string, commit: string, worktree: string): Promise<void> {
  const { stdout } = await run('git', ['--git-dir', gitDir, 'ls-tree', '-r', '-z', commit], {
    maxBuffer: 1 << 28,
  });
  for (const entry of stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const oid = entry.slice(0, tab).split(' ')[2] ?? '0';
    const seconds = 1_600_000_000 + (Number.parseInt(oid.slice(0, 7), 16) % 100_000_000);
    utimesSync(join(worktree, entry.slice(tab + 1)), seconds, seconds);
  }
}
