import { lstat, mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSyncFixture, type SyncFixture } from './sync-harness.ts';
import { contentsOf, makeTempDir, readTree, removeDir } from './tree-fixture.ts';

const PROJECTS = { mappings: [{ source: 'svc/projects', destination: 'projects' }] };

describe('untrusted repository content and the live tree', () => {
  let f: SyncFixture;
  let outside: string;
  beforeEach(async () => {
    f = await createSyncFixture();
    outside = await makeTempDir('outside');
  });
  afterEach(async () => {
    await f.cleanup();
    await removeDir(outside);
  });

  it('never follows or copies a symlink from the repository (reported as skipped)', async () => {
    await f.repo({
      'svc/projects/A/project.json': 'a',
      'svc/projects/A/passwd': { symlink: '/etc/passwd' },
      'svc/projects/Linked': { symlink: '/etc' },
    });
    const result = await f.sync({ profile: PROJECTS });
    expect(result.added).toEqual(['projects/A/project.json']);
    expect(result.skipped.map((s) => [s.path, s.reason])).toEqual([
      ['projects/A/passwd', 'symlink'],
      ['projects/Linked', 'symlink'],
    ]);
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))).toEqual({
      'projects/A/project.json': 'a',
    });
  });

  it('refuses a mapping source reached through a symlink in the repository', async () => {
    await mkdir(join(outside, 'projects'), { recursive: true });
    await f.repo({ svc: { symlink: outside } });
    await expect(f.sync({ profile: PROJECTS })).rejects.toMatchObject({
      reason: 'PathTraversalBlocked',
      kind: 'stalling',
    });
  });

  it('rejects profile paths that escape (absolute, ..)', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a' });
    for (const mapping of [
      { source: '../etc', destination: 'projects' },
      { source: 'svc/projects', destination: '../outside' },
      { source: 'svc/projects', destination: '/etc' },
      { source: 'svc/projects', destination: 'projects/../../x' },
    ]) {
      await expect(f.sync({ profile: { mappings: [mapping] } })).rejects.toMatchObject({
        reason: 'PathTraversalBlocked',
      });
    }
    await expect(
      f.sync({ profile: PROJECTS, changes: [{ status: 'M', path: '../../etc/passwd' }] }),
    ).resolves.toBeDefined(); // first sync is full: the change list is not used yet
    await expect(
      f.sync({ profile: PROJECTS, changes: [{ status: 'M', path: 'svc/projects/../../../etc/passwd' }] }),
    ).rejects.toMatchObject({ reason: 'PathTraversalBlocked' });
  });

  it('refuses to write through a symlinked managed root and leaves its target untouched', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a' });
    await f.live({});
    await symlink(outside, join(f.dataDir, 'projects'));
    await expect(f.sync({ profile: PROJECTS })).rejects.toMatchObject({
      reason: 'SymlinkInLiveTree',
      kind: 'stalling',
    });
    expect(contentsOf(await readTree(outside))).toEqual({});
  });

  it('refuses to write below a symlinked parent of a managed root', async () => {
    await f.repo({ 'svc/core/x.json': 'x' });
    await symlink(outside, join(f.dataDir, 'config'));
    await expect(
      f.sync({ profile: { mappings: [{ source: 'svc/core', destination: 'config/resources/core' }] } }),
    ).rejects.toMatchObject({ reason: 'SymlinkInLiveTree' });
    expect(contentsOf(await readTree(outside))).toEqual({});
  });

  it('refuses a symlinked directory inside a managed root when git has files below it', async () => {
    await f.repo({ 'svc/projects/A/views/v.json': 'v' });
    await f.live({ 'projects/keep.txt': 'k' });
    await mkdir(join(f.dataDir, 'projects'), { recursive: true });
    await symlink(outside, join(f.dataDir, 'projects/A'));
    await expect(f.sync({ profile: PROJECTS })).rejects.toMatchObject({ reason: 'SymlinkInLiveTree' });
    expect(contentsOf(await readTree(outside))).toEqual({});
  });

  it('removes an orphan symlink inside a managed root without touching its target', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a' });
    await f.live({});
    await mkdir(join(f.dataDir, 'projects'), { recursive: true });
    await f.repo({});
    await symlink(join(outside, 'precious.txt'), join(f.dataDir, 'projects/link'));
    await import('node:fs/promises').then((fs) => fs.writeFile(join(outside, 'precious.txt'), 'p'));
    const result = await f.sync({ profile: PROJECTS });
    expect(result.deleted).toEqual(['projects/link']);
    expect(await readFile(join(outside, 'precious.txt'), 'utf8')).toBe('p');
  });

  it('never writes or deletes protected paths even when a mapping covers them', async () => {
    await f.repo({
      'svc/config/local/ignition/uuid.txt': 'from-git',
      'svc/config/resources/local/x.json': 'from-git',
      'svc/config/resources/core/a.json': 'a',
      'svc/config/resources/core/cache.idb': 'from-git',
    });
    const owned = {
      'config/local/ignition/uuid.txt': 'gateway-uuid',
      'config/local/ignition/only-on-gateway': 'g',
      'config/resources/local/y.json': 'local',
      'config/resources/core/cache.idb': 'live-db',
    };
    await f.live(owned);
    const result = await f.sync({ profile: { mappings: [{ source: 'svc/config', destination: 'config' }] } });
    expect(result.added).toEqual(['config/resources/core/a.json']);
    expect(result.skipped.map((s) => s.reason)).toEqual(['protected', 'protected', 'protected']);
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))).toEqual({
      ...owned,
      'config/resources/core/a.json': 'a',
    });
  });

  it('excluded paths are neither written nor deleted (seed patterns, .git at any depth)', async () => {
    await f.repo({
      '.git/HEAD': 'r',
      'svc/projects/.gitkeep': '',
      'svc/projects/A/.git/config': 'nested git',
      'svc/projects/A/project.json': 'a',
      'svc/core/ignition/tag-definition/MQTT Engine/x.json': 'git-mqtt',
      'svc/core/ignition/tag-provider/System/y.json': 'git-system',
    });
    await f.live({
      'projects/.gitkeep': 'live keep',
      'projects/B/.git/HEAD': 'live git',
      'config/resources/core/ignition/tag-provider/System/y.json': 'live-system',
    });
    const result = await f.sync({
      profile: {
        mappings: [
          { source: '.', destination: 'mirror' },
          { source: 'svc/projects', destination: 'projects' },
          { source: 'svc/core', destination: 'config/resources/core' },
        ],
        excludePatterns: ['**/tag-*/MQTT Engine/', '**/tag-*/System/'],
      },
      excludePatterns: ['**/.git/', '**/.gitkeep'],
    });
    expect(result.added.filter((p) => !p.startsWith('mirror/'))).toEqual(['projects/A/project.json']);
    expect(
      result.added.filter((p) => p.includes('.git') || p.includes('MQTT') || p.includes('System')),
    ).toEqual([]);
    expect(result.deleted).toEqual([]);
    expect(await f.readLive('projects/.gitkeep')).toBe('live keep');
    expect(await f.readLive('projects/B/.git/HEAD')).toBe('live git');
    expect(await f.readLive('config/resources/core/ignition/tag-provider/System/y.json')).toBe('live-system');
  });

  it('keeps unusual file names intact and preserves the executable bit', async () => {
    const long = `${'n'.repeat(240)}.json`;
    const names = [
      'with space.json',
      'ünïcødé-名前.json',
      '__proto__',
      '-leading-dash',
      'new\nline',
      long,
      'a%20b#?*[x].py',
    ];
    await f.repo({
      ...Object.fromEntries(names.map((n) => [`svc/projects/P/${n}`, `content of ${n}`])),
      'svc/projects/P/run.sh': { content: '#!/bin/sh\n', mode: 0o755 },
    });
    const result = await f.sync({ profile: PROJECTS });
    expect(result.added).toHaveLength(names.length + 1);
    for (const n of names) expect(await f.readLive(`projects/P/${n}`)).toBe(`content of ${n}`);
    expect((await lstat(join(f.dataDir, 'projects/P/run.sh'))).mode & 0o777).toBe(0o755);
    // and a change to one of them goes through the incremental path with the name intact
    await f.repo({ [`svc/projects/P/${long}`]: 'changed' });
    const next = await f.sync({
      profile: PROJECTS,
      changes: [{ status: 'M', path: `svc/projects/P/${long}` }],
    });
    expect([next.strategy, next.modified]).toEqual(['incremental', [`projects/P/${long}`]]);
    expect(await f.readLive(`projects/P/${long}`)).toBe('changed');
    const verified = await f.sync({ profile: PROJECTS, verify: true });
    expect([verified.drift, verified.added, verified.modified]).toEqual([[], [], []]);
  });
});
