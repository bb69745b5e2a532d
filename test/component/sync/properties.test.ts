import { rm } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  PROTECTED_PATTERNS,
  type SourceChange,
  type SyncMappingInput,
  type SyncResult,
} from '../../../src/sync/index.ts';
import { createPathMatcher } from '../../../src/sync/path-matcher.ts';
import { createSyncFixture } from './sync-harness.ts';
import { readTree, type TreeFile } from './tree-fixture.ts';

// Random repositories, profiles and live gateway states (fast-check) against the real filesystem.

const SEGMENTS = ['a', 'b', 'c', 'x y', '.gitkeep', '.git', 'System', 'tag-x', 'ü'];
const segment = fc.constantFrom(...SEGMENTS);
const relPath = fc.array(segment, { minLength: 1, maxLength: 3 }).map((s) => s.join('/'));
const content = fc.string({ maxLength: 6 });

function clashes(path: string, files: ReadonlyMap<string, unknown>): boolean {
  const parts = path.split('/');
  return (
    files.has(path) ||
    parts.some((_, i) => files.has(parts.slice(0, i).join('/'))) ||
    [...files.keys()].some((k) => k.startsWith(`${path}/`))
  );
}

/** A file set without file/directory clashes (`a` and `a/b` cannot both be files). */
function fileTree(prefix: string, forbiddenLeaves: readonly string[] = []) {
  return fc.array(fc.tuple(relPath, content, fc.boolean()), { maxLength: 12 }).map((entries) => {
    const files = new Map<string, { content: string; mode: number }>();
    for (const [rel, text, isExec] of entries) {
      if (!forbiddenLeaves.includes(rel) && !clashes(rel, files))
        files.set(rel, { content: text, mode: isExec ? 0o755 : 0o644 });
    }
    return new Map([...files].map(([rel, v]) => [`${prefix}/${rel}`, v]));
  });
}

const repoTree = fc
  .tuple(fileTree('src1', ['a']), fileTree('src2'), fc.option(content, { nil: undefined }))
  .map(([a, b, root]) => {
    const all = new Map([...a, ...b]);
    if (root !== undefined) all.set('root.txt', { content: root, mode: 0o644 });
    return all;
  });

const MAPPINGS: readonly SyncMappingInput[] = [
  { source: 'src1', destination: 'projects' },
  { source: 'src2', destination: 'projects/a' },
  { source: 'src2', destination: 'config/resources/core/' },
  { source: 'root.txt', destination: 'root.txt', type: 'file' },
  { source: 'src1', destination: '.' },
  { source: 'src2', destination: 'config' },
];
const profileArb = fc.record({
  mappings: fc.shuffledSubarray([...MAPPINGS], { minLength: 1 }),
  excludePatterns: fc.subarray(['**/.gitkeep', '**/tag-*/System/', '**/b/', '**/.git/']),
  withDeploymentMode: fc.boolean(),
});
/** The deployment mode (source src2) is required, so it is used only where src2 exists at both commits. */
const DEPLOYMENT_MODE = { name: 'dev', source: 'src2' };
const DEPLOYMENT_MODE_MAPPING: SyncMappingInput = { source: 'src2', destination: 'config/resources/dev' };

const GATEWAY_FILES = {
  'gateway.xml': 'gw',
  'data.idb': 'db',
  'config/local/uuid.txt': 'u',
  'projects/.resources/r': 'cache',
};
const LIVE_PREFIXES = [
  'projects',
  'projects/a',
  'projects/.resources',
  'config/local',
  'config/resources/core',
  'config/resources/local',
  'other',
  'c',
];
const liveTree = fc
  .array(fc.tuple(fc.constantFrom(...LIVE_PREFIXES), relPath, content), { maxLength: 12 })
  .map((entries) => {
    const files = new Map<string, string>(Object.entries(GATEWAY_FILES));
    for (const [prefix, rel, text] of entries)
      if (!clashes(`${prefix}/${rel}`, files)) files.set(`${prefix}/${rel}`, text);
    return Object.fromEntries(files);
  });

const protectedMatcher = createPathMatcher(PROTECTED_PATTERNS);
const isProtected = (path: string): boolean => protectedMatcher.matches(path, false);

function toSpec(tree: Map<string, { content: string; mode: number }>) {
  return Object.fromEntries(tree);
}

function diffRepos(
  before: Map<string, { content: string; mode: number }>,
  after: Map<string, { content: string; mode: number }>,
): SourceChange[] {
  const changes: SourceChange[] = [];
  for (const [path, v] of after) {
    const old = before.get(path);
    if (old === undefined) changes.push({ status: 'A', path });
    else if (old.content !== v.content || old.mode !== v.mode) changes.push({ status: 'M', path });
  }
  for (const path of before.keys()) if (!after.has(path)) changes.push({ status: 'D', path });
  return changes;
}

/** Paths the profile may change: under a mapping destination, or a top-level name a "." mapping provided. */
function mayChange(path: string, mappings: readonly SyncMappingInput[], dotNames: Set<string>): boolean {
  if (isProtected(path)) return false;
  return mappings.some((m) => {
    const dest = m.destination.replace(/\/+$/, '');
    if (dest === '.') return dotNames.has(path.split('/')[0] ?? '');
    return m.type === 'file' ? path === dest : path === dest || path.startsWith(`${dest}/`);
  });
}

function changedPaths(before: Map<string, TreeFile>, after: Map<string, TreeFile>): string[] {
  const out: string[] = [];
  for (const [path, file] of before) {
    const now = after.get(path);
    if (
      now === undefined ||
      now.content !== file.content ||
      now.ino !== file.ino ||
      now.mtimeMs !== file.mtimeMs
    )
      out.push(path);
  }
  for (const path of after.keys()) if (!before.has(path)) out.push(path);
  return out;
}

const withoutTiming = (r: SyncResult) => ({ ...r, durationMs: 0, dryRun: false });

describe('sync properties (random trees, profiles, live states)', () => {
  it('confines changes to managed roots, keeps protected files, converges, and dry-run predicts apply', async () => {
    await fc.assert(
      fc.asyncProperty(repoTree, repoTree, profileArb, liveTree, async (repo1, repo2, arb, live) => {
        const hasSrc2 = (repo: Map<string, unknown>) => [...repo.keys()].some((p) => p.startsWith('src2/'));
        const isModeUsed = arb.withDeploymentMode && hasSrc2(repo1) && hasSrc2(repo2);
        const profile = {
          mappings: arb.mappings,
          excludePatterns: arb.excludePatterns,
          ...(isModeUsed ? { deploymentMode: DEPLOYMENT_MODE } : {}),
        };
        const managed = isModeUsed ? [...arb.mappings, DEPLOYMENT_MODE_MAPPING] : arb.mappings;
        const f = await createSyncFixture();
        try {
          await f.repo(toSpec(repo1));
          await f.live(live);
          const dotNames = new Set(
            [...repo1.keys(), ...repo2.keys()]
              .filter((p) => p.startsWith('src1/'))
              .map((p) => p.split('/')[1] ?? ''),
          );
          const before = await readTree(f.dataDir, ['.ignition-sync']);

          const dry = await f.sync({ profile, commit: 'c1', dryRun: true });
          expect(await readTree(f.dataDir, ['.ignition-sync'])).toEqual(before);
          const applied = await f.sync({ profile, commit: 'c1' });
          expect(withoutTiming(dry)).toEqual(withoutTiming(applied));

          const after = await readTree(f.dataDir, ['.ignition-sync']);
          for (const path of changedPaths(before, after))
            expect({ path, allowed: mayChange(path, managed, dotNames) }).toEqual({
              path,
              allowed: true,
            });
          for (const [path, file] of before) if (isProtected(path)) expect(after.get(path)).toEqual(file);

          const verify = await f.sync({ profile, commit: 'c1', verify: true });
          expect([verify.added, verify.modified, verify.deleted, verify.drift]).toEqual([[], [], [], []]);

          // incremental to a second commit equals what a full comparison expects
          for (const top of ['src1', 'src2', 'root.txt'])
            await rm(`${f.sourceDir}/${top}`, { recursive: true, force: true });
          await f.repo(toSpec(repo2));
          const mid = await readTree(f.dataDir, ['.ignition-sync']);
          const dry2 = await f.sync({
            profile,
            commit: 'c2',
            changes: diffRepos(repo1, repo2),
            dryRun: true,
          });
          const inc = await f.sync({
            profile,
            commit: 'c2',
            changes: diffRepos(repo1, repo2),
            changesFrom: 'c1',
          });
          expect(withoutTiming(dry2)).toEqual(withoutTiming(inc));
          const end = await readTree(f.dataDir, ['.ignition-sync']);
          for (const path of changedPaths(mid, end))
            expect({ path, allowed: mayChange(path, managed, dotNames) }).toEqual({
              path,
              allowed: true,
            });
          for (const [path, file] of before) if (isProtected(path)) expect(end.get(path)).toEqual(file);
          const check = await f.sync({ profile, commit: 'c2', verify: true });
          expect([check.added, check.modified, check.deleted, check.drift]).toEqual([[], [], [], []]);
        } finally {
          await f.cleanup();
        }
      }),
      { numRuns: Number(process.env.SYNC_PROPERTY_RUNS ?? 30) },
    );
  });
});
