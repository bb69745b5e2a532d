import { execFile } from 'node:child_process';
import { chmod, copyFile, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitTestEnv, startGitTestEnv } from './git-test-env.ts';

const execFileAsync = promisify(execFile);
/** A UID with no passwd entry, like OpenShift's random UIDs or `runAsUser: 1000680000`. */
const UID = 1_000_680_000;
const isRoot = process.getuid?.() === 0;

/**
 * How to run a command as UID: root switches to it directly; anyone else enters a new user namespace that maps
 * their own UID to it (util-linux `unshare`), which needs no privilege where unprivileged user namespaces are on.
 */
function asUid(
  command: string,
  args: readonly string[],
): { file: string; args: string[]; ids: { uid?: number; gid?: number } } {
  if (isRoot) return { file: command, args: [...args], ids: { uid: UID, gid: UID } };
  return {
    file: 'unshare',
    args: ['--user', `--map-user=${UID}`, `--map-group=${UID}`, command, ...args],
    ids: {},
  };
}

let env: GitTestEnv;
let shared: string;
let commit: string;

beforeAll(async () => {
  env = await startGitTestEnv();
  const repo = await env.createRepo('uid');
  commit = await repo.commit({ 'a.txt': 'from another uid' });
  shared = await env.scratch('uid-shared');
  await chmod(dirname(shared), 0o755);
  await chmod(shared, 0o755);
  // mounted-Secret style: root-owned, world-readable
  await copyFile(env.ssh.clientKey.privateKeyFile, join(shared, 'ssh-privatekey'));
  await copyFile(env.ssh.knownHostsFile, join(shared, 'known_hosts'));
  await chmod(join(shared, 'ssh-privatekey'), 0o644);
  await mkdir(join(shared, 'checkouts'), { mode: 0o777 });
  await chmod(join(shared, 'checkouts'), 0o777);
});

afterAll(async () => {
  await env?.close();
});

async function fetchAsOtherUid(
  dirName: string,
  disableNssWrapper: boolean,
): Promise<Record<string, unknown>> {
  const input = {
    repo: env.ssh.url('uid'),
    commit,
    privateKeyFile: join(shared, 'ssh-privatekey'),
    knownHostsFile: join(shared, 'known_hosts'),
    dir: join(shared, 'checkouts', dirName),
    disableNssWrapper,
  };
  const run = asUid(process.execPath, [
    join(import.meta.dirname, 'fixtures', 'fetch-as-current-uid.ts'),
    JSON.stringify(input),
  ]);
  const { stdout } = await execFileAsync(run.file, run.args, {
    ...run.ids,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/nonexistent' },
    cwd: '/',
  });
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe('running under a UID without a passwd entry', () => {
  it('fetches over SSH (nss_wrapper supplies the passwd entry OpenSSH insists on)', async () => {
    expect(await fetchAsOtherUid('ok', false)).toEqual({ ok: true, commit, head: commit });
  });

  it('fails with GitUserUnknown, not a hang or a raw ssh error, when nss_wrapper is unavailable', async () => {
    expect(await fetchAsOtherUid('no-nss', true)).toMatchObject({ ok: false, reason: 'GitUserUnknown' });
  });
});
