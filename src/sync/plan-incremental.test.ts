import { describe, expect, it } from 'vitest';
import { type DecideContext, decidePath } from './decide-path.ts';
import { resolveProfile } from './mappings.ts';
import { computeIncrementalCandidates } from './plan-incremental.ts';

describe('computeIncrementalCandidates', () => {
  const profile = resolveProfile({
    mappings: [
      { source: 'svc/projects', destination: 'projects' },
      { source: 'shared/scripts', destination: 'projects/P/scripts' },
      { source: 'shared/f.json', destination: 'factory.json', type: 'file' },
    ],
    deploymentMode: { name: 'dev', source: 'overlays/dev' },
  });

  it('maps changed repository paths to destinations with every covering source, latest mapping first', () => {
    const c = computeIncrementalCandidates(profile, profile.mappings, [
      { status: 'M', path: 'shared/scripts/a.py' },
      { status: 'R', path: 'shared/f.json', oldPath: 'shared/old.json' },
      { status: 'D', path: 'overlays/dev/config-mode.json' },
      { status: 'M', path: 'README.md' },
    ]);
    expect([...c.keys()].sort()).toEqual([
      'config/resources/dev/config-mode.json',
      'factory.json',
      'projects/P/scripts/a.py',
    ]);
    expect(c.get('projects/P/scripts/a.py')?.probes.map((p) => p.sourcePath)).toEqual([
      'shared/scripts/a.py',
      'svc/projects/P/scripts/a.py',
    ]);
    expect(c.get('config/resources/dev/config-mode.json')?.generated?.path).toBe(
      'config/resources/dev/config-mode.json',
    );
  });

  it('rejects a changed path that escapes', () => {
    expect(() =>
      computeIncrementalCandidates(profile, profile.mappings, [{ status: 'A', path: 'svc/../../x' }]),
    ).toThrow(expect.objectContaining({ reason: 'PathTraversalBlocked' }));
  });
});

describe('decidePath', () => {
  const profile = resolveProfile({ mappings: [], excludePatterns: ['**/.gitkeep'] });
  const ctx: DecideContext = {
    excludes: profile.excludes,
    protect: profile.protect,
    checkAncestors: true,
    reportDrift: true,
  };
  const desired = {
    path: 'projects/A/x',
    origin: { kind: 'source' as const, sourcePath: 's/x' },
    size: 3,
    mode: 0o644,
    mappingIndex: 0,
  };
  const file = (size: number, mode = 0o644) => ({ kind: 'file' as const, size, mode });
  const prev = { hash: 'h1', size: 3, mode: 0o644 };

  it.each([
    ['missing live → add', { live: undefined }, { write: 'add' }],
    ['same size and hash → keep', { live: file(3), liveHash: 'h1', desiredHash: 'h1' }, { keep: true }],
    [
      'same content, other mode → chmod',
      { live: file(3, 0o755), liveHash: 'h1', desiredHash: 'h1' },
      { chmod: true },
    ],
    ['other size → modify', { live: file(4) }, { write: 'modify' }],
    [
      'same size, other hash → modify',
      { live: file(3), liveHash: 'h2', desiredHash: 'h1' },
      { write: 'modify' },
    ],
  ])('%s', (_name, fact, expected) => {
    const d = decidePath({ path: desired.path, desired, previous: prev, isManaged: true, ...fact }, ctx);
    expect({
      write: d.write?.kind,
      keep: d.keep !== undefined || undefined,
      chmod: d.chmod !== undefined || undefined,
    }).toEqual({
      write: undefined,
      keep: undefined,
      chmod: undefined,
      ...expected,
    });
  });

  it('deletes an orphan only inside a managed root, and never a protected or excluded path', () => {
    const orphan = (path: string, isManaged: boolean) =>
      decidePath({ path, live: file(1), isManaged }, ctx).delete;
    expect(orphan('projects/A/x', true)).toEqual({ path: 'projects/A/x' });
    expect(orphan('projects/A/x', false)).toBeUndefined();
    expect(orphan('projects/.resources/x', true)).toBeUndefined();
    expect(orphan('projects/A/.gitkeep', true)).toBeUndefined();
  });

  it('reports drift kinds against the last manifest', () => {
    const drift = (fact: object) => decidePath({ path: 'p/x', isManaged: true, ...fact }, ctx).drift?.kind;
    expect(drift({ previous: prev })).toBe('deleted');
    expect(drift({ previous: prev, live: file(3), liveHash: 'other' })).toBe('modified');
    expect(drift({ previous: prev, live: file(3, 0o600), liveHash: 'h1' })).toBe('modified');
    expect(drift({ live: file(3) })).toBe('added');
    expect(drift({ previous: prev, live: file(3), liveHash: 'h1' })).toBeUndefined();
  });

  it('a leftover temporary file is always removed, even where excludes apply', () => {
    const d = decidePath({ path: 'projects/A/..gitkeep.ignsync-tmp', live: file(1), isManaged: true }, ctx);
    expect(d.delete).toEqual({ path: 'projects/A/..gitkeep.ignsync-tmp' });
  });
});
