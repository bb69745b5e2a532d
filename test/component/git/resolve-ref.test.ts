import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../../src/git/index.ts';
import { type FixtureRepo, fixtureGit } from '../../harness/git-servers/index.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type GitTestEnv, startGitTestEnv, type TransportName } from './git-test-env.ts';

let env: GitTestEnv;
let repo: FixtureRepo;
let client: GitClient;
const c: Record<'one' | 'two' | 'three', string> = { one: '', two: '', three: '' };

beforeAll(async () => {
  env = await startGitTestEnv();
  repo = await env.createRepo('refs');
  c.one = await repo.commit({ 'a.txt': 'one' }, { message: 'one' });
  c.two = await repo.commit({ 'a.txt': 'two' }, { branch: 'release', parent: c.one });
  c.three = await repo.commit({ 'a.txt': 'three' }, { branch: 'same', parent: c.one });
  await repo.tag('light', c.one);
  await repo.tag('v1.0.0', c.two, { annotated: true });
  await repo.tag('same', c.one, { annotated: true });
  client = new GitClient({ timeoutMs: 30_000, pathEnv: process.env.PATH ?? '' });
});

afterAll(async () => {
  await client?.close();
  await env?.close();
});

describe.each<TransportName>(['file', 'http', 'ssh'])('resolveRef over %s', (name) => {
  const resolve = (ref: string) => {
    const t = env.transports[name];
    return client.resolveRef({ repo: t.url(repo), ref, auth: t.auth });
  };

  it('resolves a branch name to its tip', async () => {
    expect(await resolve('main')).toMatchObject({
      commit: c.one,
      refName: 'refs/heads/main',
      kind: 'branch',
    });
  });

  it('resolves a lightweight tag', async () => {
    expect(await resolve('light')).toMatchObject({ commit: c.one, refName: 'refs/tags/light', kind: 'tag' });
  });

  it('peels an annotated tag to the commit, not the tag object', async () => {
    const tagObject = await fixtureGit(['rev-parse', 'refs/tags/v1.0.0'], { cwd: repo.bareDir });
    expect(tagObject).not.toBe(c.two);
    const resolved = await resolve('v1.0.0');
    expect(resolved).toMatchObject({ commit: c.two, refName: 'refs/tags/v1.0.0', kind: 'tag' });
  });

  it('prefers a tag over a branch of the same name', async () => {
    expect(await resolve('same')).toMatchObject({ commit: c.one, refName: 'refs/tags/same' });
  });

  it('honours the full refs/heads/ and refs/tags/ forms', async () => {
    expect(await resolve('refs/heads/same')).toMatchObject({ commit: c.three, kind: 'branch' });
    expect(await resolve('refs/tags/same')).toMatchObject({ commit: c.one, kind: 'tag' });
    expect(await resolve('refs/heads/release')).toMatchObject({ commit: c.two });
  });

  it('resolves HEAD to the default branch', async () => {
    expect(await resolve('HEAD')).toMatchObject({ commit: c.one, kind: 'head' });
  });

  it('passes a full commit id through without asking the server', async () => {
    expect(await resolve(c.two)).toEqual({ commit: c.two, refName: c.two, kind: 'commit', warnings: [] });
  });

  it('reports an unknown ref as RefNotFound (waiting: it may be pushed later)', async () => {
    const e = await rejectionOf(resolve('v9.9.9'));
    expect(e).toMatchObject({ reason: 'RefNotFound', kind: 'waiting' });
    expect(e.message).toContain('v9.9.9');
  });

  it('does not take a prefix match for the ref (v1 is not v1.0.0)', async () => {
    expect((await rejectionOf(resolve('v1'))).reason).toBe('RefNotFound');
  });
});

describe('resolveRef input validation', () => {
  it.each(['-n', '--upload-pack=touch /tmp/x', 'a..b', 'x y', 'refs/heads/*', 'v1^{}'])(
    'refuses %j as GitRefInvalid without running git',
    async (ref) => {
      const e = await rejectionOf(client.resolveRef({ repo: repo.fileUrl, ref, auth: { kind: 'none' } }));
      expect(e).toMatchObject({ reason: 'GitRefInvalid', kind: 'stalling' });
    },
  );

  it('refuses a repository url that could be read as an option', async () => {
    const e = await rejectionOf(
      client.resolveRef({ repo: '--upload-pack=id', ref: 'main', auth: { kind: 'none' } }),
    );
    expect(e).toMatchObject({ reason: 'GitRepoUrlInvalid' });
  });
});
