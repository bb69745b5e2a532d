import { describe, expect, it } from 'vitest';
import { createPathMatcher } from './path-matcher.ts';
import { BUILTIN_EXCLUDES, PROTECTED_PATTERNS } from './protected-paths.ts';

describe('createPathMatcher (exclude grammar)', () => {
  const seed = createPathMatcher([
    ...BUILTIN_EXCLUDES,
    '**/.gitkeep',
    '**/tag-*/MQTT Engine/',
    '**/tag-*/System/',
  ]);
  it.each([
    ['.git', true, true],
    ['.git/HEAD', false, true],
    ['projects/A/.git/objects/ab', false, true],
    ['projects/.gitkeep', false, true],
    ['.gitkeep', false, true],
    ['config/resources/core/ignition/tag-definition/MQTT Engine/x.json', false, true],
    ['config/resources/core/ignition/tag-definition/System/a/b.json', false, true],
    ['config/resources/core/ignition/tag-definition/default/x.json', false, false],
    ['projects/A/.gitignore', false, false],
    ['projects/A/System/x.json', false, false],
    ['projects/A/.github/x', false, false],
  ])('%s (dir=%s) excluded → %s', (path, isDir, expected) => {
    expect(seed.matches(path, isDir)).toBe(expected);
  });

  it('a trailing "/" matches the directory and everything below, never a file of that name', () => {
    const m = createPathMatcher(['**/build/']);
    expect([
      m.matches('a/build', true),
      m.matches('a/build/x/y', false),
      m.matches('a/build', false),
    ]).toEqual([true, true, false]);
  });

  it('"*" stays inside one segment, "**" spans segments', () => {
    const m = createPathMatcher(['projects/*.json', 'config/**/secret.json']);
    expect(m.matches('projects/a.json', false)).toBe(true);
    expect(m.matches('projects/A/a.json', false)).toBe(false);
    expect(m.matches('config/secret.json', false)).toBe(true);
    expect(m.matches('config/a/b/secret.json', false)).toBe(true);
  });

  it('an empty pattern list matches nothing', () => {
    expect(createPathMatcher(['', '  ']).matches('anything', false)).toBe(false);
  });
});

describe('protected list (ignition-gateway.md section 2)', () => {
  const p = createPathMatcher(PROTECTED_PATTERNS);
  it.each([
    'projects/.resources/abc/def',
    'config/local/ignition/gateway-network/uuid.txt',
    'config/resources/local/ignition/system-properties/config.json',
    'var/ignition/modl/x.modl',
    'modules.json',
    'gateway.xml',
    'gateway.xml_clean',
    'redundancy.xml',
    'commissioning.json',
    '.ignition-seed-complete',
    'db/config.idb',
    'tags.idb-wal',
    'logs/wrapper.log',
    '.ignition-sync/manifest.json',
    'config/resources/core/ignition/tag-definition/System/x.json',
    'config/resources/dev/ignition/tag-definition/MQTT Engine/x.json',
  ])('%s is protected', (path) => {
    expect(p.matches(path, false)).toBe(true);
  });
  it.each([
    'projects/Plant/project.json',
    'config/resources/core/ignition/x/config.json',
    'factory-config.json',
  ])('%s is not protected', (path) => {
    expect(p.matches(path, false)).toBe(false);
  });
});

describe('built-in excludes', () => {
  it('exclude a .git directory and a .git file (linked worktree) at any depth', () => {
    const m = createPathMatcher(BUILTIN_EXCLUDES);
    expect([m.matches('.git', false), m.matches('a/.git', true), m.matches('a/.git/x', false)]).toEqual([
      true,
      true,
      true,
    ]);
    expect(m.matches('a/.gitignore', false)).toBe(false);
  });

  it('a leading "./" or "/" anchors at the data dir root like no prefix', () => {
    const m = createPathMatcher(['./projects/tmp/', '/logs2/']);
    expect([
      m.matches('projects/tmp/x', false),
      m.matches('logs2/y', false),
      m.matches('a/projects/tmp/x', false),
    ]).toEqual([true, true, false]);
  });
});
