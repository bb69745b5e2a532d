import { afterEach, describe, expect, it } from 'vitest';
import { configModeJson, type SyncProfileInput, syncDataDir } from '../../../src/sync/index.ts';
import {
  contentFor,
  DEMO_BACKEND_EXPECTED,
  DEMO_BACKEND_PROFILE,
  DEMO_FRONTEND_EXPECTED,
  DEMO_FRONTEND_PROFILE,
  GATEWAY_OWNED,
  PROVEIT_AREA_EXPECTED,
  PROVEIT_AREA_PROFILE,
  PROVEIT_REPO,
  PROVEIT_SITE_EXPECTED,
  PROVEIT_SITE_PROFILE,
  PROVEIT_SYNC_EXCLUDES,
  PUBLIC_DEMO_REPO,
  SINGLE_GATEWAY_2TIER_EXPECTED,
  SINGLE_GATEWAY_PROFILE,
  SINGLE_GATEWAY_PROFILE_EXPECTED,
  SINGLE_GATEWAY_REPO,
  STALE_MANAGED,
  UNMANAGED_EXTRA,
} from '../../fixtures/worked-examples/worked-examples.ts';
import { contentsOf, makeTempDir, readDirs, readTree, removeDir, writeTree } from './tree-fixture.ts';

interface Example {
  readonly name: string;
  readonly repo: Record<string, string>;
  readonly profile: SyncProfileInput;
  readonly excludes?: readonly string[];
  readonly expected: Record<string, string>;
  /** Unmanaged extras that lie outside every managed root and must survive. */
  readonly keptExtras: readonly string[];
}

const EXAMPLES: readonly Example[] = [
  {
    name: 'ProveIt site profile (overlay, file mapping, deployment mode, seed excludes)',
    repo: PROVEIT_REPO,
    profile: PROVEIT_SITE_PROFILE,
    excludes: PROVEIT_SYNC_EXCLUDES,
    expected: PROVEIT_SITE_EXPECTED,
    keptExtras: Object.keys(UNMANAGED_EXTRA),
  },
  {
    name: 'ProveIt area profile',
    repo: PROVEIT_REPO,
    profile: PROVEIT_AREA_PROFILE,
    excludes: PROVEIT_SYNC_EXCLUDES,
    expected: PROVEIT_AREA_EXPECTED,
    keptExtras: Object.keys(UNMANAGED_EXTRA),
  },
  {
    name: 'Public Demo frontend (config mapped as a whole)',
    repo: PUBLIC_DEMO_REPO,
    profile: DEMO_FRONTEND_PROFILE,
    expected: DEMO_FRONTEND_EXPECTED,
    keptExtras: ['notes-from-operator.txt'],
  },
  {
    name: 'Public Demo backend',
    repo: PUBLIC_DEMO_REPO,
    profile: DEMO_BACKEND_PROFILE,
    expected: DEMO_BACKEND_EXPECTED,
    keptExtras: ['notes-from-operator.txt'],
  },
  {
    name: 'single gateway, 2-tier service-path "."',
    repo: SINGLE_GATEWAY_REPO,
    profile: { servicePath: '.' },
    expected: SINGLE_GATEWAY_2TIER_EXPECTED,
    keptExtras: Object.keys(UNMANAGED_EXTRA),
  },
  {
    name: 'single gateway, minimal SyncProfile source "." destination "."',
    repo: SINGLE_GATEWAY_REPO,
    profile: SINGLE_GATEWAY_PROFILE,
    expected: SINGLE_GATEWAY_PROFILE_EXPECTED,
    keptExtras: ['notes-from-operator.txt'],
  },
];

const GIT_METADATA = { '.git/HEAD': 'ref: refs/heads/main\n', '.git/objects/ab/cdef': 'blob\n' };

describe('seed worked examples (golden)', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    for (const d of dirs.splice(0)) await removeDir(d);
  });

  for (const example of EXAMPLES) {
    it(`${example.name}: syncs exactly the expected files and leaves every gateway-owned file byte-identical`, async () => {
      const sourceDir = await makeTempDir('repo');
      const dataDir = await makeTempDir('data');
      dirs.push(sourceDir, dataDir);
      await writeTree(sourceDir, { ...example.repo, ...GIT_METADATA });
      await writeTree(dataDir, { ...GATEWAY_OWNED, ...UNMANAGED_EXTRA, ...STALE_MANAGED });
      const before = await readTree(dataDir);
      const input = {
        sourceDir,
        dataDir,
        commit: 'a'.repeat(40),
        profile: example.profile,
        excludePatterns: example.excludes ?? [],
      };

      const result = await syncDataDir(input);

      const expected: Record<string, string> = {};
      for (const [dest, origin] of Object.entries(example.expected)) {
        expected[dest] =
          origin === 'generated:config-mode' ? configModeJson('prd-cloud') : contentFor(origin);
      }
      for (const path of Object.keys(GATEWAY_OWNED)) expected[path] = GATEWAY_OWNED[path]!;
      for (const path of example.keptExtras) expected[path] = UNMANAGED_EXTRA[path]!;
      const after = await readTree(dataDir, ['.ignition-sync']);
      expect(contentsOf(after)).toEqual(
        Object.fromEntries(Object.entries(expected).sort(([a], [b]) => (a < b ? -1 : 1))),
      );
      // gateway-owned files are the very same files: same inode, same mtime (never rewritten)
      for (const path of Object.keys(GATEWAY_OWNED)) {
        expect({ path, ino: after.get(path)?.ino, mtime: after.get(path)?.mtimeMs }).toEqual({
          path,
          ino: before.get(path)?.ino,
          mtime: before.get(path)?.mtimeMs,
        });
      }
      expect([...result.added].sort()).toEqual(Object.keys(example.expected).sort());
      expect(result.deleted).toEqual(
        expect.arrayContaining(Object.keys(STALE_MANAGED).filter((p) => !expected[p])),
      );
      // emptied directories of deleted content are gone
      const remainingDirs = await readDirs(dataDir);
      expect(remainingDirs.has('projects/retired-project')).toBe(false);

      const again = await syncDataDir(input);
      expect(again.strategy).toBe('noop');
      const verified = await syncDataDir({ ...input, verify: true });
      expect({
        drift: verified.drift,
        added: verified.added,
        modified: verified.modified,
        deleted: verified.deleted,
      }).toEqual({ drift: [], added: [], modified: [], deleted: [] });
      const final = await readTree(dataDir);
      for (const [path, file] of before) {
        if (GATEWAY_OWNED[path] !== undefined) expect(final.get(path)).toEqual(file);
      }
    });
  }
});
