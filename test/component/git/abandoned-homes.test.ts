// A process killed with SIGKILL never removes its private git home, which holds copies of SSH keys. The next
// GitClient in the same temp dir removes such homes of processes that no longer exist, and only those.
import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitClient } from '../../../src/git/index.ts';
import { createFixtureRepo, type FixtureRepo } from '../../harness/git-servers/index.ts';

let root: string;
let repo: FixtureRepo;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'igs-abandoned-homes-'));
  repo = await createFixtureRepo(join(root, 'repos'), 'r');
  await repo.commit({ 'a.txt': 'a' });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A pid that existed a moment ago and has exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(child.stdout);
}

describe('git homes left behind by killed processes', () => {
  it('are removed with their key copies when the next client starts; live and foreign homes stay', async () => {
    const tmp = join(root, 'tmp');
    await mkdir(tmp);
    const abandoned = join(tmp, `ignition-sync-git-${deadPid()}-x1Yz`);
    await mkdir(join(abandoned, 'call-1'), { recursive: true });
    await writeFile(join(abandoned, 'call-1', 'ssh-key'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const live = join(tmp, `ignition-sync-git-${process.ppid}-a2Bc`);
    await mkdir(live);
    const unrelated = join(tmp, 'ignition-sync-gitlike-1-zz');
    await mkdir(unrelated);

    const client = new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin', tmpDir: tmp });
    await client.resolveRef({ repo: repo.fileUrl, ref: 'main', auth: { kind: 'none' } });
    const during = await readdir(tmp);
    expect(during).not.toContain(abandoned.split('/').pop());
    expect(during).toEqual(expect.arrayContaining([live.split('/').pop(), unrelated.split('/').pop()]));
    // The client's own home is named after this process, so a later client does not take it for abandoned.
    expect(during.filter((n) => n.startsWith(`ignition-sync-git-${process.pid}-`))).toHaveLength(1);
    await client.close();
    expect((await readdir(tmp)).filter((n) => n.startsWith(`ignition-sync-git-${process.pid}-`))).toEqual([]);
  });
});
