import { rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAppliedState } from '../../../src/sync/index.ts';
import { createSyncFixture, type SyncFixture } from './sync-harness.ts';
import { contentsOf, readDirs, readTree } from './tree-fixture.ts';

const PROFILE = {
  mappings: [
    { source: 'svc/projects', destination: 'projects' },
    { source: 'svc/core', destination: 'config/resources/core' },
  ],
};
const REPO = {
  'svc/projects/A/project.json': 'a',
  'svc/projects/A/views/Main/view.json': 'main v1',
  'svc/projects/B/project.json': 'b',
  'svc/core/ignition/db/config.json': 'db',
};

describe('incremental sync, manifest, drift, dry run', () => {
  let f: SyncFixture;
  beforeEach(async () => {
    f = await createSyncFixture();
    await f.repo(REPO);
    await f.live({ 'gateway.xml': 'gw' });
  });
  afterEach(async () => f.cleanup());

  it('a no-change sync writes nothing: no mtime or inode changes anywhere', async () => {
    await f.sync({ profile: PROFILE, commit: 'c1' });
    const before = await readTree(f.dataDir);
    const sameCommit = await f.sync({ profile: PROFILE, commit: 'c1' });
    const newCommitNoChanges = await f.sync({ profile: PROFILE, commit: 'c2', changes: [] });
    const verify = await f.sync({ profile: PROFILE, commit: 'c2', verify: true });
    expect([sameCommit.strategy, newCommitNoChanges.strategy, verify.strategy]).toEqual([
      'noop',
      'incremental',
      'full',
    ]);
    const after = await readTree(f.dataDir);
    for (const [path, file] of before) {
      if (path === '.ignition-sync/state.json') continue; // the applied commit moved c1 -> c2
      expect({ path, ...after.get(path) }).toEqual({ path, ...file });
    }
    expect(await readAppliedState(f.dataDir)).toEqual({ commit: 'c2' });
  });

  it('applies A/M/D/R changes incrementally, touching only the changed files', async () => {
    await f.sync({ profile: PROFILE, commit: 'c1' });
    const before = await readTree(f.dataDir);
    await f.repo({ 'svc/projects/A/views/Main/view.json': 'main v2', 'svc/projects/C/project.json': 'c' });
    await rm(join(f.sourceDir, 'svc/projects/B'), { recursive: true });
    await f.repo({ 'svc/core/ignition/db2/config.json': 'db' });
    await unlink(join(f.sourceDir, 'svc/core/ignition/db/config.json'));

    const result = await f.sync({
      profile: PROFILE,
      commit: 'c2',
      changesFrom: 'c1',
      changes: [
        { status: 'M', path: 'svc/projects/A/views/Main/view.json' },
        { status: 'A', path: 'svc/projects/C/project.json' },
        { status: 'D', path: 'svc/projects/B/project.json' },
        {
          status: 'R',
          path: 'svc/core/ignition/db2/config.json',
          oldPath: 'svc/core/ignition/db/config.json',
        },
        { status: 'M', path: 'README.md' },
      ],
    });

    expect(result).toMatchObject({
      strategy: 'incremental',
      added: ['config/resources/core/ignition/db2/config.json', 'projects/C/project.json'],
      modified: ['projects/A/views/Main/view.json'],
      deleted: ['config/resources/core/ignition/db/config.json', 'projects/B/project.json'],
      projectsTouched: ['A', 'B', 'C'],
      projectsChanged: true,
      configChanged: true,
    });
    const after = await readTree(f.dataDir);
    expect(after.get('projects/A/project.json')).toEqual(before.get('projects/A/project.json'));
    const dirs = await readDirs(f.dataDir);
    expect([dirs.has('projects/B'), dirs.has('config/resources/core/ignition/db')]).toEqual([false, false]);
    // the incremental result equals what a full verification sees: nothing left to do
    const verify = await f.sync({ profile: PROFILE, commit: 'c2', verify: true });
    expect([verify.added, verify.modified, verify.deleted, verify.drift]).toEqual([[], [], [], []]);
  });

  it('a deleted overlay file lets the earlier mapping show through', async () => {
    await f.repo({ 'overlay/A/project.json': 'overlaid' });
    const profile = { mappings: [...PROFILE.mappings, { source: 'overlay', destination: 'projects' }] };
    await f.sync({ profile, commit: 'c1' });
    expect(await f.readLive('projects/A/project.json')).toBe('overlaid');
    await unlink(join(f.sourceDir, 'overlay/A/project.json'));
    const result = await f.sync({
      profile,
      commit: 'c2',
      changes: [{ status: 'D', path: 'overlay/A/project.json' }],
    });
    expect([result.strategy, result.modified, result.deleted]).toEqual([
      'incremental',
      ['projects/A/project.json'],
      [],
    ]);
    expect(await f.readLive('projects/A/project.json')).toBe('a');
  });

  it('plans fully when the manifest is lost or corrupt, when the profile changes, or changes start elsewhere', async () => {
    await f.sync({ profile: PROFILE, commit: 'c1' });
    await f.writeEngineFile('manifest.json', '{"version":1,"id":');
    const corrupt = await f.sync({ profile: PROFILE, commit: 'c2', changes: [] });
    await unlink(join(f.dataDir, '.ignition-sync/manifest.json'));
    const lost = await f.sync({ profile: PROFILE, commit: 'c3', changes: [] });
    const profileChanged = await f.sync({
      profile: { ...PROFILE, excludePatterns: ['**/x'] },
      commit: 'c4',
      changes: [],
    });
    const otherBase = await f.sync({ profile: PROFILE, commit: 'c5', changes: [], changesFrom: 'not-c4' });
    expect([corrupt, lost, profileChanged, otherBase].map((r) => [r.strategy, r.added.length])).toEqual([
      ['full', 0],
      ['full', 0],
      ['full', 0],
      ['full', 0],
    ]);
  });

  it('a stale manifest never causes a skipped write after an interrupted apply', async () => {
    await f.sync({ profile: PROFILE, commit: 'c1' });
    // the run to c2 was killed after writing the marker and one file (exactly what the engine does first)
    await f.writeEngineFile(
      'state.json',
      JSON.stringify({
        version: 1,
        phase: 'applying',
        target: 'c2',
        fingerprint: ((await f.readState()) as { fingerprint: string }).fingerprint,
      }),
    );
    await writeFile(join(f.dataDir, 'projects/A/project.json'), 'content of c2');
    await writeFile(join(f.dataDir, 'projects/A/.project.json.ignsync-tmp'), 'half-writ');
    expect(await readAppliedState(f.dataDir)).toBeNull();
    // c3 reverted A/project.json to c1's content, so a diff c1..c3 would not mention it
    const result = await f.sync({ profile: PROFILE, commit: 'c3', changes: [], changesFrom: 'c1' });
    expect(result.strategy).toBe('full');
    expect(result.modified).toEqual(['projects/A/project.json']);
    expect(result.deleted).toEqual(['projects/A/.project.json.ignsync-tmp']);
    expect(await f.readLive('projects/A/project.json')).toBe('a');
  });

  it('a verification pass reports drift (kind and path) and then corrects it', async () => {
    await f.sync({ profile: PROFILE, commit: 'c1' });
    await writeFile(join(f.dataDir, 'projects/A/views/Main/view.json'), 'edited on the gateway');
    await unlink(join(f.dataDir, 'projects/B/project.json'));
    await writeFile(join(f.dataDir, 'projects/A/added-by-hand.json'), '{}');
    const result = await f.sync({ profile: PROFILE, commit: 'c1', verify: true });
    expect(result.drift).toEqual([
      { path: 'projects/A/added-by-hand.json', kind: 'added' },
      { path: 'projects/A/views/Main/view.json', kind: 'modified' },
      { path: 'projects/B/project.json', kind: 'deleted' },
    ]);
    expect([result.added, result.modified, result.deleted]).toEqual([
      ['projects/B/project.json'],
      ['projects/A/views/Main/view.json'],
      ['projects/A/added-by-hand.json'],
    ]);
    const again = await f.sync({ profile: PROFILE, commit: 'c1', verify: true });
    expect(again.drift).toEqual([]);
  });

  it('a dry run writes nothing, not even the manifest, and reports exactly what the apply then does', async () => {
    await f.live({ 'projects/Old/project.json': 'old', 'projects/A/project.json': 'stale' });
    const before = await readTree(f.dataDir);
    const dry = await f.sync({ profile: PROFILE, commit: 'c1', dryRun: true });
    expect(await readTree(f.dataDir)).toEqual(before);
    const real = await f.sync({ profile: PROFILE, commit: 'c1' });
    const strip = (r: typeof dry) => ({ ...r, durationMs: 0, dryRun: false });
    expect(strip(dry)).toEqual(strip(real));
    expect(dry).toMatchObject({
      dryRun: true,
      deleted: ['projects/Old/project.json'],
      modified: ['projects/A/project.json'],
    });
  });

  it('deployment mode: generates config-mode.json only when the source has none', async () => {
    await f.repo({ 'overlays/dev/ignition/x/config.json': 'x' });
    const profile = { ...PROFILE, deploymentMode: { name: 'dev', source: 'overlays/dev' } };
    await f.sync({ profile, commit: 'c1' });
    expect(JSON.parse(await f.readLive('config/resources/dev/config-mode.json'))).toMatchObject({
      enabled: true,
      inheritable: true,
      parent: 'core',
    });
    await f.repo({ 'overlays/dev/config-mode.json': '{"title":"Dev from git"}' });
    const added = await f.sync({
      profile,
      commit: 'c2',
      changes: [{ status: 'A', path: 'overlays/dev/config-mode.json' }],
    });
    expect(added.modified).toEqual(['config/resources/dev/config-mode.json']);
    expect(await f.readLive('config/resources/dev/config-mode.json')).toBe('{"title":"Dev from git"}');
    await unlink(join(f.sourceDir, 'overlays/dev/config-mode.json'));
    const removed = await f.sync({
      profile,
      commit: 'c3',
      changes: [{ status: 'D', path: 'overlays/dev/config-mode.json' }],
    });
    expect([removed.modified, removed.deleted]).toEqual([['config/resources/dev/config-mode.json'], []]);
    await expect(
      f.sync({ profile: { ...PROFILE, deploymentMode: { name: 'local', source: 'overlays/dev' } } }),
    ).rejects.toMatchObject({
      reason: 'ProfileInvalid',
    });
  });

  it('a "." mapping cleans up a top-level directory deleted from git (incremental and full)', async () => {
    await f.repo({ 'docs/runbook.md': 'r' });
    const dot = { mappings: [{ source: '.', destination: '.' }] };
    await f.sync({ profile: dot, commit: 'c1' });
    expect(await f.readLive('docs/runbook.md')).toBe('r');
    await rm(join(f.sourceDir, 'docs'), { recursive: true });
    const result = await f.sync({
      profile: dot,
      commit: 'c2',
      changes: [{ status: 'D', path: 'docs/runbook.md' }],
    });
    expect([result.strategy, result.deleted]).toEqual(['incremental', ['docs/runbook.md']]);
    expect((await readDirs(f.dataDir)).has('docs')).toBe(false);
    // the gone top-level entry stops being a managed root: later syncs stay incremental
    const next = await f.sync({ profile: dot, commit: 'c3', changes: [] });
    expect(next.strategy).toBe('incremental');
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))['gateway.xml']).toBe('gw');
  });
});
