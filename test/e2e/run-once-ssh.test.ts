import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { createFixtureRepo, type SshGitServer, startSshGitServer } from '../harness/git-servers/index.ts';
import { memoryIo } from '../harness/memory-io.ts';
import {
  EXAMPLE_DIR,
  exampleRepoFiles,
  gatewayYaml,
  onceJsonArgs,
  proveitSyncYaml,
} from './proveit-environment.ts';

let root: string;
let ssh: SshGitServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'igs-ssh-'));
  const repo = await createFixtureRepo(join(root, 'server'), 'proveit');
  await repo.tag('2.0.0', await repo.commit(await exampleRepoFiles()), { annotated: true });
  ssh = await startSshGitServer({ root: join(root, 'server') });
  // Secrets laid out like the mounted Secrets the seed's IgnitionSync names.
  await mkdir(join(root, 'secrets/git-sync-secret'), { recursive: true });
  await copyFile(ssh.clientKey.privateKeyFile, join(root, 'secrets/git-sync-secret/ssh-privatekey'));
  await mkdir(join(root, 'secrets/git-known-hosts'), { recursive: true });
  await copyFile(ssh.knownHostsFile, join(root, 'secrets/git-known-hosts/known_hosts'));
  await mkdir(join(root, 'gateways/site/data'), { recursive: true });
});

afterAll(async () => {
  await ssh?.close();
  await rm(root, { recursive: true, force: true });
});

async function runOnce(knownHosts: boolean): Promise<{ code: number; stdout: string; stderr: string }> {
  const sync = proveitSyncYaml(ssh.url('proveit'), '2.0.0', [
    '    auth:',
    '      sshKey:',
    '        secretRef: {name: git-sync-secret, key: ssh-privatekey}',
    ...(knownHosts ? ['        knownHostsSecretRef: {name: git-known-hosts, key: known_hosts}'] : []),
    '  webhook: {enabled: false}',
  ]);
  const gateway = gatewayYaml({ name: 'site', profile: 'proveit-site' });
  const profiles = await readFile(join(EXAMPLE_DIR, 'config/sync-profiles.yaml'), 'utf8');
  await writeFile(join(root, 'proveit.yaml'), [sync, profiles, gateway].join('\n---\n'));
  const cli = memoryIo(root);
  const code = await runCli(onceJsonArgs('proveit.yaml'), cli.io);
  return { code, stdout: cli.stdout(), stderr: cli.stderr() };
}

describe('run --once over SSH with secrets from --secrets-dir', () => {
  it('the seed-style sshKey secretRef plus a known-hosts Secret syncs without a host-key warning', async () => {
    const { code, stdout, stderr } = await runOnce(true);
    expect(code).toBe(0);
    expect(JSON.parse(stdout).gateways[0]).toMatchObject({ name: 'site', status: 'Synced', error: null });
    expect(stderr).not.toContain('host key verification is disabled');
    expect(stderr).not.toContain('PRIVATE KEY');
  });

  it('without a known-hosts Secret it still syncs, and says loudly that the server is not authenticated', async () => {
    const { code, stderr } = await runOnce(false);
    expect(code).toBe(0);
    expect(stderr).toContain('host key verification is disabled');
  });
});
