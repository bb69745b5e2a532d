// The in-process SSH git server stands in for a hosting service's sshd; these tests prove it is as strict as one:
// only the authorised key, only git's two commands, only repositories under its root.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createFixtureRepo,
  generateSshKeyPair,
  parseGitCommand,
  type SshGitServer,
  startSshGitServer,
} from '../../harness/git-servers/index.ts';

const execFileAsync = promisify(execFile);
let base: string;
let ssh: SshGitServer;

beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'ssh-test-server-'));
  ssh = await startSshGitServer({ root: join(base, 'repos') });
  const repo = await createFixtureRepo(join(base, 'repos'), 'site');
  await repo.commit({ 'a.txt': 'a' });
});

afterAll(async () => {
  await ssh?.close();
  await rm(base, { recursive: true, force: true });
});

/** The real OpenSSH client, strict about the host key, with the given identity. */
async function sshRun(
  command: string,
  key = ssh.clientKey.privateKeyFile,
): Promise<{ code: number; err: string }> {
  const args = [
    '-F',
    '/dev/null',
    '-o',
    'BatchMode=yes',
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    `UserKnownHostsFile=${ssh.knownHostsFile}`,
    '-o',
    'StrictHostKeyChecking=yes',
    '-i',
    key,
    '-p',
    String(ssh.port),
    `${ssh.user}@127.0.0.1`,
    command,
  ];
  return execFileAsync('ssh', args, { timeout: 20_000 }).then(
    () => ({ code: 0, err: '' }),
    (e: { code?: number; stderr?: string }) => ({ code: e.code ?? -1, err: e.stderr ?? '' }),
  );
}

describe('in-process SSH git server', () => {
  it('serves git-upload-pack to the authorised key (the ref advertisement arrives)', async () => {
    const { stdout } = await execFileAsync('git', ['ls-remote', ssh.url('site')], {
      env: {
        PATH: process.env.PATH ?? '',
        GIT_SSH_COMMAND: `ssh -F /dev/null -o BatchMode=yes -o IdentitiesOnly=yes -o UserKnownHostsFile=${ssh.knownHostsFile} -i ${ssh.clientKey.privateKeyFile}`,
      },
    });
    expect(stdout).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main$/m);
  });

  it('refuses any command but git fetch and push', async () => {
    const result = await sshRun('cat /etc/passwd');
    expect(result.code).toBe(1);
    expect(result.err).toContain('only git fetch and push are allowed');
    expect(ssh.logs()).toContain('refused: cat /etc/passwd');
  });

  it('refuses a key it does not know', async () => {
    const stranger = await generateSshKeyPair(join(base, 'stranger'));
    const result = await sshRun("git-upload-pack '/x.git'", stranger.privateKeyFile);
    expect(result.code).toBe(255);
    expect(result.err).toContain('Permission denied (publickey)');
  });
});

describe('parseGitCommand', () => {
  it('unquotes the path the way git quotes it', () => {
    expect(parseGitCommand("git-upload-pack '/r/it'\\''s.git'", '/r')).toEqual({
      program: 'git-upload-pack',
      path: "/r/it's.git",
    });
    expect(parseGitCommand("git receive-pack '/r/a.git'", '/r')).toEqual({
      program: 'git-receive-pack',
      path: '/r/a.git',
    });
  });

  it('refuses paths outside the root and unquoted or chained commands', () => {
    expect(parseGitCommand("git-upload-pack '/r/../etc'", '/r')).toHaveProperty('error');
    expect(parseGitCommand("git-upload-pack '/elsewhere/a.git'", '/r')).toHaveProperty('error');
    expect(parseGitCommand('git-upload-pack /r/a.git', '/r')).toHaveProperty('error');
    expect(parseGitCommand("git-upload-pack '/r/a.git'; rm -rf /", '/r')).toHaveProperty('error');
  });
});
