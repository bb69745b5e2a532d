import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/harness/memory-io.ts';
import { runCli } from './program.ts';

describe('ignition-sync agent: configuration', () => {
  it('exits 2 and lists every missing setting, without touching the apiserver', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-cli-'));
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]\nusers: [{name: u, user: {token: t}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n',
    );
    const io = memoryIo(dir, { env: { IGNITION_SYNC_POD_NAME: 'gw-0', IGNITION_SYNC_CR_NAME: 'plant' } });
    const code = await runCli(['agent', '--kubeconfig', kubeconfig, '--probe-listen', 'nope'], io.io);
    expect(code).toBe(2);
    expect(io.stderr()).toContain('agent: invalid configuration:');
    for (const problem of [
      'IGNITION_SYNC_POD_NAMESPACE is not set',
      'IGNITION_SYNC_POD_UID is not set',
      'neither IGNITION_SYNC_SYNC_PROFILE nor IGNITION_SYNC_SERVICE_PATH is set',
      'listen address "nope" is not HOST:PORT',
    ]) {
      expect(io.stderr()).toContain(problem);
    }
    expect(io.stderr()).not.toContain('IGNITION_SYNC_POD_NAME is not set');
  });

  it('IGNITION_SYNC_PROBE_LISTEN (what the webhook injects) is validated like --probe-listen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-cli-'));
    const io = memoryIo(dir, {
      env: {
        IGNITION_SYNC_POD_NAME: 'gw-0',
        IGNITION_SYNC_POD_NAMESPACE: 'site1',
        IGNITION_SYNC_POD_UID: 'uid',
        IGNITION_SYNC_CR_NAME: 'plant',
        IGNITION_SYNC_SERVICE_PATH: '.',
        IGNITION_SYNC_PROBE_LISTEN: ':99999',
      },
    });
    expect(await runCli(['agent', '--kubeconfig', join(dir, 'missing')], io.io)).toBe(2);
    expect(io.stderr()).toContain('listen address ":99999" is not HOST:PORT');
  });

  it('an unreadable kubeconfig is invalid input (exit 2)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'agent-cli-'));
    const io = memoryIo(dir, {
      env: {
        IGNITION_SYNC_POD_NAME: 'gw-0',
        IGNITION_SYNC_POD_NAMESPACE: 'site1',
        IGNITION_SYNC_POD_UID: 'uid',
        IGNITION_SYNC_CR_NAME: 'plant',
        IGNITION_SYNC_SERVICE_PATH: '.',
      },
    });
    expect(await runCli(['agent', '--kubeconfig', join(dir, 'missing')], io.io)).toBe(2);
    expect(io.stderr()).toContain('kubeconfig:');
  });
});
