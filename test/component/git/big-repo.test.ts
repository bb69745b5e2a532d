import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../../src/git/index.ts';
import { type FixtureFile, type FixtureRepo, fixtureGit } from '../../harness/git-servers/index.ts';
import { type GitTestEnv, startGitTestEnv, type TransportName } from './git-test-env.ts';

const FILES = 10_000;
let env: GitTestEnv;
let repo: FixtureRepo;
let client: GitClient;
let first: string;
let last: string;

function* manyFiles(): Generator<readonly [string, FixtureFile]> {
  for (let i = 0; i < FILES; i++) {
    const project = `projects/p${i % 20}/com.inductiveautomation.perspective/views/v${i}`;
    yield [
      `${project}/view.json`,
      `{"id":${i},"root":{"type":"ia.container.flex","pad":"${'x'.repeat(i % 200)}"}}\n`,
    ];
  }
}

beforeAll(async () => {
  env = await startGitTestEnv();
  repo = await env.createRepo('big');
  first = await repo.commit(manyFiles(), { message: 'import 10k views' });
  // some history below the tip, so "shallow" is observable
  await repo.commit({ 'projects/p0/com.inductiveautomation.perspective/views/v0/view.json': 'older\n' });
  last = await repo.commit(
    Object.fromEntries(
      Array.from({ length: 10 }, (_, i) => [
        `projects/p${i}/com.inductiveautomation.perspective/views/v${i}/view.json`,
        `changed ${i}\n`,
      ]),
    ),
  );
  client = new GitClient({ timeoutMs: 120_000, pathEnv: process.env.PATH ?? '' });
});

afterAll(async () => {
  await client?.close();
  await env?.close();
});

describe.each<TransportName>(['http', 'ssh'])('a 10,000-file repository over %s', (name) => {
  it('is fetched shallowly (one commit of history), listed and diffed', async () => {
    const t = env.transports[name];
    const dir = join(await env.scratch(`big-${name}`), 'work');
    const started = performance.now();
    await client.fetchCommit({ repo: t.url(repo), commit: last, auth: t.auth, dir });
    const fetchMs = Math.round(performance.now() - started);
    expect(await fixtureGit(['rev-list', '--count', 'HEAD'], { cwd: dir })).toBe('1');
    expect(
      await readFile(join(dir, 'projects/p3/com.inductiveautomation.perspective/views/v3/view.json'), 'utf8'),
    ).toBe('changed 3\n');
    const entries = await client.listTree({ dir, commit: last });
    expect(entries).toHaveLength(FILES);
    const changes = await client.diff({ dir, from: first, to: last, repo: t.url(repo), auth: t.auth });
    expect(changes).toHaveLength(10);
    expect(changes.every((c) => c.status === 'M')).toBe(true);
    console.info(`[measure] ${FILES}-file shallow fetch+checkout over ${name}: ${fetchMs} ms`);
  });
});
