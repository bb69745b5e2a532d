import { describe, expect, it } from 'vitest';
import { computeDesiredTree } from './desired-tree.ts';
import { computeManagedRoots } from './managed-roots.ts';
import { resolveProfile } from './mappings.ts';
import { planFullSync } from './plan-full.ts';
import type { SyncProfileInput as ProfileArg } from './profile.ts';
import type { LiveEntry } from './sync-plan.ts';

function plan(
  profileArg: ProfileArg,
  repo: Record<string, string>,
  live: Record<string, LiveEntry['kind'] | string>,
) {
  const profile = resolveProfile(profileArg);
  const listings = profile.mappings.map((m) => ({
    mappingIndex: m.index,
    files: Object.keys(repo)
      .filter((p) => m.source === '' || p.startsWith(`${m.source}/`))
      .map((p) => ({
        rel: m.source === '' ? p : p.slice(m.source.length + 1),
        size: (repo[p] ?? '').length,
        mode: 0o644,
      })),
  }));
  const tree = computeDesiredTree(profile, listings, (t) => t.length);
  const children = new Map(
    profile.mappings.map(
      (m) =>
        [
          m.index,
          [...new Set(listings[m.index]?.files.map((f) => f.rel.split('/')[0] ?? ''))].map((name) => ({
            name,
            isDirectory: true,
          })),
        ] as const,
    ),
  );
  const roots = computeManagedRoots({ profile, active: profile.mappings, children, previousRoots: null });
  const liveMap = new Map<string, LiveEntry>(
    Object.entries(live).map(([p, v]) => [
      p,
      v === 'dir' || v === 'symlink' || v === 'opaque'
        ? { kind: v, size: 0, mode: 0o755 }
        : { kind: 'file', size: v.length, mode: 0o644 },
    ]),
  );
  return planFullSync({
    commit: 'c',
    profile,
    roots,
    desired: tree.desired,
    live: liveMap,
    desiredHashes: new Map(),
    liveHashes: new Map(),
    previous: null,
    reportDrift: false,
    skipped: tree.skipped,
  });
}

describe('planFullSync', () => {
  it('later mappings overlay earlier ones file by file; directories merge', () => {
    const p = plan(
      {
        mappings: [
          { source: 'a', destination: 'projects' },
          { source: 'b', destination: 'projects/P' },
        ],
      },
      { 'a/P/x': '1', 'a/P/y': '2', 'b/x': '3' },
      {},
    );
    expect(p.writes.map((w) => [w.path, w.origin])).toEqual([
      ['projects/P/x', { kind: 'source', sourcePath: 'b/x' }],
      ['projects/P/y', { kind: 'source', sourcePath: 'a/P/y' }],
    ]);
  });

  it('a later directory beats an earlier file at the same path (reported as overlay-conflict)', () => {
    const p = plan(
      {
        mappings: [
          { source: 'a', destination: 'projects' },
          { source: 'b', destination: 'projects/P' },
        ],
      },
      { 'a/P': 'file', 'b/x': '3' },
      {},
    );
    expect(p.writes.map((w) => w.path)).toEqual(['projects/P/x']);
    expect(p.skipped).toEqual([
      { path: 'projects/P', reason: 'overlay-conflict', detail: expect.any(String) },
    ]);
  });

  it('deletes orphans and removes emptied directories, deepest first, never the root', () => {
    const p = plan(
      { mappings: [{ source: 'a', destination: 'projects' }] },
      { 'a/keep': 'k' },
      {
        projects: 'dir',
        'projects/keep': 'k',
        'projects/Old': 'dir',
        'projects/Old/views': 'dir',
        'projects/Old/views/v.json': 'v',
      },
    );
    expect(p.deletes.map((d) => d.path)).toEqual(['projects/Old/views/v.json']);
    expect(p.removeDirs).toEqual(['projects/Old/views', 'projects/Old']);
  });

  it('keeps directories holding protected or excluded content', () => {
    const p = plan(
      { mappings: [{ source: 'a', destination: 'projects' }] },
      {},
      {
        projects: 'dir',
        'projects/.resources': 'opaque',
        'projects/Old': 'dir',
        'projects/Old/x': 'x',
      },
    );
    expect(p.removeDirs).toEqual(['projects/Old']);
  });

  it('refuses to plan a write below a live symlink', () => {
    expect(() =>
      plan(
        { mappings: [{ source: 'a', destination: 'projects' }] },
        { 'a/P/x': '1' },
        { projects: 'dir', 'projects/P': 'symlink' },
      ),
    ).toThrow(expect.objectContaining({ reason: 'SymlinkInLiveTree' }));
  });
});
