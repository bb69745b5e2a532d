import { describe, expect, it } from 'vitest';
import { buildSnapshot, diffSnapshots, type FileRecord } from './data-snapshot.ts';

const rec = (path: string, json?: string): FileRecord => ({
  path,
  hash: `h-${path}-${json ?? ''}`,
  mtimeMs: 0,
  json,
});
const RJ = '{"files":["config.json"],"attributes":{"lastModificationSignature":"abc"}}';

describe('buildSnapshot (config)', () => {
  const snap = buildSnapshot('config', 1, [
    rec('config/resources/core/config-mode.json', '{"title":"Core"}'),
    rec('config/resources/dev/config-mode.json', '{"title":"Dev","description":"d"}'),
    rec('config/resources/core/ignition/system-properties/resource.json', RJ),
    rec('config/resources/core/ignition/system-properties/config.json', '{}'),
    rec('config/resources/dev/ignition/database-connection/mes/resource.json', RJ),
    rec('config/resources/dev/ignition/database-connection/mes/config.json', '{bad'),
    rec('config/resources/dev/ignition/smtp-profile/resource.json', RJ),
    rec('config/resources/core/ignition/tag-definition/default/folder/no-resource-json.txt'),
    rec('config/resources/core/ignition/x/y/view.json.ignition-sync-tmp'),
    rec('config/resources/core/ignition/x/y/.config.json.ignsync-tmp'),
    rec('config/resources/core/ignition/my-tmp/z/config.json', '{}'),
  ]);

  it('finds named resources and singletons with their signature', () => {
    expect(Object.keys(snap.resources).sort()).toEqual([
      'core/ignition/system-properties',
      'dev/ignition/database-connection/mes',
      'dev/ignition/smtp-profile',
    ]);
    expect(snap.resources['core/ignition/system-properties']?.name).toBe('');
    expect(snap.resources['dev/ignition/database-connection/mes']?.signature).toBe('abc');
  });

  it('lists user modes, not built-in collections', () => {
    expect(Object.keys(snap.modes)).toEqual(['dev']);
  });

  it('records malformed JSON, a mode-only singleton and temp files', () => {
    expect(snap.errors.map((e) => e.path)).toEqual([
      'config/resources/dev/ignition/database-connection/mes/config.json',
      'config/resources/*/ignition/smtp-profile',
    ]);
    expect(snap.tempFiles).toEqual([
      'config/resources/core/ignition/x/y/view.json.ignition-sync-tmp',
      'config/resources/core/ignition/x/y/.config.json.ignsync-tmp',
    ]);
  });
});

describe('buildSnapshot (projects) and diff', () => {
  const before = buildSnapshot('projects', 1, [
    rec('projects/A/project.json', '{"title":"A","parent":"base"}'),
    rec('projects/A/perspective/views/V/resource.json', '{}'),
    rec('projects/A/perspective/views/V/view.json', '{"v":1}'),
    rec('projects/Broken/perspective/views/V/resource.json', '{}'),
  ]);
  const after = buildSnapshot('projects', 2, [
    rec('projects/A/project.json', '{"title":"A","parent":"base"}'),
    rec('projects/A/perspective/views/V/resource.json', '{}'),
    rec('projects/A/perspective/views/V/view.json', '{"v":2}'),
    rec('projects/A/perspective/views/W/resource.json', '{}'),
  ]);

  it('a project needs a valid project.json', () => {
    expect(Object.keys(before.projects)).toEqual(['A']);
    expect(before.projects.A?.parent).toBe('base');
    expect(before.errors.map((e) => e.path)).toEqual(['projects/Broken']);
  });

  it('diffs resources by content', () => {
    expect(diffSnapshots(undefined, before).added).toEqual(['A', 'A/perspective/views/V']);
    expect(diffSnapshots(before, after)).toEqual({
      added: ['A/perspective/views/W'],
      modified: ['A/perspective/views/V'],
      removed: [],
    });
  });
});
