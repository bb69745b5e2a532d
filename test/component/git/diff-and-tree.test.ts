import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient, SUBMODULE_MODE, SYMLINK_MODE } from '../../../src/git/index.ts';
import type { FixtureRepo } from '../../harness/git-servers/index.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type GitTestEnv, startGitTestEnv, type TransportName } from './git-test-env.ts';

let env: GitTestEnv;
let repo: FixtureRepo;
let client: GitClient;
let before: string;
let after: string;

/** Names that break naive parsers: spaces, newlines, tabs, quotes, unicode, a leading dash, backslashes. */
const ODD = {
  space: 'projects/my project/view one.json',
  newline: 'projects/new\nline.json',
  tab: 'projects/tab\there.json',
  quote: 'projects/"quoted".json',
  unicode: 'projects/Überwachung/Ωmega-数据.json',
  dash: '-leading-dash.json',
  backslash: 'projects/back\\slash.json',
};
const LONG = 'x'.repeat(2000);

beforeAll(async () => {
  env = await startGitTestEnv();
  repo = await env.createRepo('diff');
  before = await repo.commit({
    [ODD.space]: 'space',
    [ODD.newline]: 'newline',
    [ODD.tab]: 'tab',
    [ODD.dash]: 'dash',
    'config/renamed-from.json': LONG,
    'config/type-change': 'a file',
    'keep.txt': 'same',
  });
  after = await repo.commit({
    [ODD.space]: 'space changed',
    [ODD.newline]: null,
    [ODD.quote]: 'quote',
    [ODD.dash]: 'dash changed',
    [ODD.unicode]: 'unicode',
    [ODD.backslash]: 'backslash',
    'config/renamed-from.json': null,
    'config/renamed to.json': LONG,
    'config/type-change': { symlink: 'keep.txt' },
  });
  client = new GitClient({ timeoutMs: 30_000, pathEnv: process.env.PATH ?? '' });
});

afterAll(async () => {
  await client?.close();
  await env?.close();
});

const EXPECTED = [
  { status: 'R', path: 'config/renamed to.json', oldPath: 'config/renamed-from.json' },
  { status: 'T', path: 'config/type-change' },
  { status: 'A', path: ODD.backslash },
  { status: 'A', path: ODD.quote },
  { status: 'M', path: ODD.space },
  { status: 'D', path: ODD.newline },
  { status: 'A', path: ODD.unicode },
  { status: 'M', path: ODD.dash },
];

describe.each<TransportName>(['file', 'http'])('diff over %s', (name) => {
  it('lists adds, modifies, deletes, renames and type changes with odd names verbatim', async () => {
    const t = env.transports[name];
    const dir = join(await env.scratch(`diff-${name}`), 'work');
    // only `after` is fetched (depth 1); `before` is fetched on demand at depth 1 for the tree diff
    await client.fetchCommit({ repo: t.url(repo), commit: after, auth: t.auth, dir });
    const changes = await client.diff({ dir, from: before, to: after, repo: t.url(repo), auth: t.auth });
    expect([...changes].sort((a, b) => a.path.localeCompare(b.path))).toEqual(
      [...EXPECTED].sort((a, b) => a.path.localeCompare(b.path)),
    );
    expect(changes.find((c) => c.path === ODD.tab)).toBeUndefined();
  });
});

describe('diff edge cases', () => {
  it('returns no changes for the same commit', async () => {
    expect(await client.diff({ dir: '/nonexistent', from: after, to: after })).toEqual([]);
  });

  it('reports CommitNotFound when a commit is missing and no repository is given', async () => {
    const dir = join(await env.scratch('diff-missing'), 'work');
    await client.fetchCommit({ repo: repo.fileUrl, commit: after, auth: { kind: 'none' }, dir });
    const e = await rejectionOf(client.diff({ dir, from: before, to: after }));
    expect(e).toMatchObject({ reason: 'CommitNotFound' });
  });
});

describe('listTree', () => {
  it('lists every file with mode, oid and size, including symlinks and submodules', async () => {
    const gitlink = 'a'.repeat(40);
    const tree = await env.createRepo('tree');
    const commit = await tree.commit({
      'run.sh': { content: '#!/bin/sh\n', executable: true },
      [ODD.newline]: 'nl',
      'link-out': { symlink: '../../etc/passwd' },
      'vendor/lib': { submodule: gitlink },
      'data/empty.bin': '',
    });
    const dir = join(await env.scratch('tree'), 'work');
    await client.fetchCommit({ repo: tree.fileUrl, commit, auth: { kind: 'none' }, dir });
    const entries = await client.listTree({ dir, commit });
    const byPath = new Map(entries.map((e) => [e.path, e]));
    expect(entries).toHaveLength(5);
    expect(byPath.get('run.sh')).toMatchObject({ mode: '100755', type: 'blob', size: 10 });
    expect(byPath.get(ODD.newline)).toMatchObject({ mode: '100644', size: 2 });
    expect(byPath.get('link-out')).toMatchObject({
      mode: SYMLINK_MODE,
      type: 'blob',
      size: '../../etc/passwd'.length,
    });
    expect(byPath.get('vendor/lib')).toEqual({
      path: 'vendor/lib',
      mode: SUBMODULE_MODE,
      type: 'commit',
      oid: gitlink,
      size: null,
    });
    expect(byPath.get('data/empty.bin')).toMatchObject({ size: 0 });
    expect(byPath.get('run.sh')?.oid).toMatch(/^[0-9a-f]{40}$/);
  });

  it('reports CommitNotFound for a directory that was never a checkout', async () => {
    const dir = join(await env.scratch('tree-none'), 'never-created');
    expect((await rejectionOf(client.listTree({ dir, commit: before }))).reason).toBe('CommitNotFound');
  });

  it('reports CommitNotFound for a commit that was never fetched', async () => {
    const dir = join(await env.scratch('tree-missing'), 'work');
    await client.fetchCommit({ repo: repo.fileUrl, commit: after, auth: { kind: 'none' }, dir });
    expect((await rejectionOf(client.listTree({ dir, commit: before }))).reason).toBe('CommitNotFound');
  });
});
