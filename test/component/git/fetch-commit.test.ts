import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandRunner,
  GitClient,
  PLAIN_HTTP_TOKEN_WARNING,
  runCommand,
} from '../../../src/git/index.ts';
import { fixtureGit, startGitHttpServer } from '../../harness/git-servers/index.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type GitTestEnv, startGitTestEnv, type TransportName } from './git-test-env.ts';

let env: GitTestEnv;
let client: GitClient;

beforeAll(async () => {
  env = await startGitTestEnv();
  client = new GitClient({ timeoutMs: 30_000, pathEnv: process.env.PATH ?? '' });
});

afterAll(async () => {
  await client?.close();
  await env?.close();
});

const read = (dir: string, path: string) => readFile(join(dir, path), 'utf8');

async function headOf(dir: string): Promise<string> {
  return fixtureGit(['rev-parse', 'HEAD'], { cwd: dir });
}

describe.each<TransportName>(['file', 'http', 'ssh'])('fetchCommit over %s', (name) => {
  const t = () => env.transports[name];

  it('checks out exactly the commit, shallow, and reuses the checkout incrementally', async () => {
    const repo = await env.createRepo(`fetch-${name}`);
    const first = await repo.commit({ 'a.txt': 'one', 'dir/b.txt': 'b' });
    const second = await repo.commit({ 'a.txt': 'two', 'dir/b.txt': null, 'c.txt': 'c' });
    const dir = join(await env.scratch('checkout'), 'work');
    const fetchAt = (commit: string) =>
      client.fetchCommit({ repo: t().url(repo), commit, auth: t().auth, dir });

    // The test's smart-HTTP server is plain http:// with a token: the one warning expected on a clean fetch.
    const warnings = name === 'http' ? [PLAIN_HTTP_TOKEN_WARNING] : [];
    expect(await fetchAt(first)).toMatchObject({ commit: first, method: 'sha', warnings });
    expect(await headOf(dir)).toBe(first);
    expect(await read(dir, 'a.txt')).toBe('one');
    expect(await fixtureGit(['rev-parse', '--is-shallow-repository'], { cwd: dir })).toBe('true');

    // local damage is discarded: edits, untracked and ignored files
    await writeFile(join(dir, 'a.txt'), 'edited');
    await writeFile(join(dir, 'stray.txt'), 'x');
    expect(await fetchAt(second)).toMatchObject({ method: 'sha' });
    expect(await headOf(dir)).toBe(second);
    expect(await read(dir, 'a.txt')).toBe('two');
    await expect(stat(join(dir, 'dir/b.txt'))).rejects.toThrow();
    await expect(stat(join(dir, 'stray.txt'))).rejects.toThrow();

    // going back to a commit that is still local needs no network
    expect(await fetchAt(first)).toMatchObject({ method: 'present' });
    expect(await read(dir, 'a.txt')).toBe('one');
  });

  it('fetches the resolved commit even when the branch moved after resolving', async () => {
    const repo = await env.createRepo(`moving-${name}`);
    await repo.commit({ 'v.txt': 'old' });
    const resolved = await client.resolveRef({ repo: t().url(repo), ref: 'main', auth: t().auth });
    const moved = await repo.commit({ 'v.txt': 'new' });
    const dir = join(await env.scratch('moving'), 'work');
    await client.fetchCommit({
      repo: t().url(repo),
      commit: resolved.commit,
      ref: 'main',
      auth: t().auth,
      dir,
    });
    expect(await headOf(dir)).toBe(resolved.commit);
    expect(resolved.commit).not.toBe(moved);
    expect(await read(dir, 'v.txt')).toBe('old');
  });

  it('reports a commit that was force-pushed away and collected as CommitNotFound', async () => {
    const repo = await env.createRepo(`force-${name}`);
    const base = await repo.commit({ 'f.txt': 'base' });
    const doomed = await repo.commit({ 'f.txt': 'doomed' });
    await repo.setRef('refs/heads/main', base); // force-push main back
    await repo.pruneUnreachable();
    const dir = join(await env.scratch('force'), 'work');
    const e = await rejectionOf(
      client.fetchCommit({
        repo: t().url(repo),
        commit: doomed,
        ref: 'refs/heads/main',
        auth: t().auth,
        dir,
      }),
    );
    expect(e).toMatchObject({ reason: 'CommitNotFound', kind: 'waiting' });
    expect(e.message).toContain(doomed);
    // the new tip still fetches into the same directory afterwards
    await client.fetchCommit({ repo: t().url(repo), commit: base, auth: t().auth, dir });
    expect(await headOf(dir)).toBe(base);
  });

  it('reports a deleted branch as RefNotFound and its collected commit as CommitNotFound', async () => {
    const repo = await env.createRepo(`deleted-${name}`);
    await repo.commit({ 'm.txt': 'main' });
    const feature = await repo.commit({ 'x.txt': 'feature' }, { branch: 'feature' });
    await repo.deleteRef('refs/heads/feature');
    await repo.pruneUnreachable();
    expect(
      (await rejectionOf(client.resolveRef({ repo: t().url(repo), ref: 'feature', auth: t().auth }))).reason,
    ).toBe('RefNotFound');
    const dir = join(await env.scratch('deleted'), 'work');
    const e = await rejectionOf(
      client.fetchCommit({ repo: t().url(repo), commit: feature, ref: 'feature', auth: t().auth, dir }),
    );
    expect(e.reason).toBe('CommitNotFound');
  });
});

describe('fetchCommit when the server refuses fetching by id (protocol v0)', () => {
  /** Forces the client to speak protocol v0 through GIT_CONFIG_* env, like `git -c protocol.version=0`. */
  const v0Runner: CommandRunner = (spec) =>
    runCommand({
      ...spec,
      env: {
        ...spec.env,
        GIT_CONFIG_COUNT: '1',
        GIT_CONFIG_KEY_0: 'protocol.version',
        GIT_CONFIG_VALUE_0: '0',
      },
    });
  let v0Client: GitClient;

  beforeAll(() => {
    v0Client = new GitClient({ timeoutMs: 30_000, pathEnv: process.env.PATH ?? '', runner: v0Runner });
  });
  afterAll(async () => {
    await v0Client?.close();
  });

  it('falls back to the ref and deepens until an older reachable commit is present (file://, v0 client)', async () => {
    const repo = await env.createRepo('v0-file');
    const old = await repo.commit({ 'n.txt': '1' });
    for (let i = 2; i <= 4; i++) await repo.commit({ 'n.txt': String(i) });
    const dir = join(await env.scratch('v0'), 'work');
    const result = await v0Client.fetchCommit({
      repo: repo.fileUrl,
      commit: old,
      ref: 'main',
      auth: { kind: 'none' },
      dir,
    });
    expect(result.method).toBe('ref');
    expect(await headOf(dir)).toBe(old);
    expect(await read(dir, 'n.txt')).toBe('1');
  });

  it('falls back over smart HTTP against a v0-only server and refuses an unreachable commit', async () => {
    const server = await startGitHttpServer({ root: env.root, token: env.token, protocolV2: false });
    try {
      const repo = await env.createRepo('v0-http');
      const older = await repo.commit({ 'h.txt': 'older' });
      const tip = await repo.commit({ 'h.txt': 'tip' });
      const stray = await repo.commit({ 'h.txt': 'stray' }, { branch: 'other' });
      await repo.deleteRef('refs/heads/other');
      const auth = { kind: 'token', tokenFile: env.tokenFile } as const;
      const dir = join(await env.scratch('v0http'), 'work');
      // the default client asks for v2, but this server only speaks v0: fetching a non-tip id is refused
      const r = await client.fetchCommit({
        repo: server.url('v0-http'),
        commit: older,
        ref: 'main',
        auth,
        dir,
      });
      expect(r.method).toBe('ref');
      expect(await headOf(dir)).toBe(older);
      expect(await read(dir, 'h.txt')).toBe('older');
      // `stray` exists on the server but is not reachable from main: never handed out through main
      const e = await rejectionOf(
        client.fetchCommit({ repo: server.url('v0-http'), commit: stray, ref: 'main', auth, dir }),
      );
      expect(e.reason).toBe('CommitNotFound');
      expect(await headOf(dir)).toBe(older);
      expect(tip).not.toBe(older);
    } finally {
      await server.close();
    }
  });
});

describe('fetchCommit checkout directory handling', () => {
  it('refuses a non-empty directory that is not a checkout instead of wiping it', async () => {
    const repo = await env.createRepo('dir-guard');
    const commit = await repo.commit({ 'a.txt': 'a' });
    const dir = await env.scratch('guard');
    await writeFile(join(dir, 'precious.db'), 'data');
    const e = await rejectionOf(
      client.fetchCommit({ repo: repo.fileUrl, commit, auth: { kind: 'none' }, dir }),
    );
    expect(e).toMatchObject({ reason: 'GitWorkdirInvalid', kind: 'stalling' });
    expect(await read(dir, 'precious.db')).toBe('data');
  });

  it('refuses a checkout path that is a file', async () => {
    const repo = await env.createRepo('dir-file');
    const commit = await repo.commit({ 'a.txt': 'a' });
    const file = join(await env.scratch('file'), 'not-a-dir');
    await writeFile(file, 'x');
    const e = await rejectionOf(
      client.fetchCommit({ repo: repo.fileUrl, commit, auth: { kind: 'none' }, dir: file }),
    );
    expect(e).toMatchObject({ reason: 'GitWorkdirInvalid', kind: 'stalling' });
  });

  it('recovers from lock files a killed git left behind', async () => {
    const repo = await env.createRepo('stale-lock');
    const one = await repo.commit({ 'a.txt': '1' });
    const two = await repo.commit({ 'a.txt': '2' });
    const dir = join(await env.scratch('lock'), 'work');
    await client.fetchCommit({ repo: repo.fileUrl, commit: one, auth: { kind: 'none' }, dir });
    await writeFile(join(dir, '.git', 'index.lock'), '');
    await writeFile(join(dir, '.git', 'shallow.lock'), '');
    await client.fetchCommit({ repo: repo.fileUrl, commit: two, auth: { kind: 'none' }, dir });
    expect(await read(dir, 'a.txt')).toBe('2');
  });

  it('serialises concurrent fetches into one directory', async () => {
    const repo = await env.createRepo('concurrent');
    const one = await repo.commit({ 'a.txt': '1' });
    const two = await repo.commit({ 'a.txt': '2' });
    const dir = join(await env.scratch('concurrent'), 'work');
    const auth = { kind: 'none' } as const;
    await Promise.all([
      client.fetchCommit({ repo: repo.fileUrl, commit: one, auth, dir }),
      client.fetchCommit({ repo: repo.fileUrl, commit: two, auth, dir }),
    ]);
    expect(await headOf(dir)).toBe(two);
  });
});
