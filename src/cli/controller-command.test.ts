import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/harness/memory-io.ts';
import { runCli } from './program.ts';

async function controller(args: readonly string[], env: Record<string, string> = {}) {
  const io = memoryIo(tmpdir(), { env });
  const code = await runCli(['controller', ...args], io.io);
  return { code, stderr: io.stderr() };
}

describe('ignition-sync controller (flags)', () => {
  it('refuses to start outside a pod without --kubeconfig (exit 2)', async () => {
    const r = await controller([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no --kubeconfig given and not running in a pod/);
  });

  it('refuses a bad listen address, half a certificate pair and an unreadable kubeconfig (exit 2)', async () => {
    expect((await controller(['--listen', 'nope:99999', '--kubeconfig', '/x'])).stderr).toMatch(/--listen/);
    const half = await controller(['--cert-file', '/tls.crt', '--kubeconfig', '/x']);
    expect(half.code).toBe(2);
    expect(half.stderr).toMatch(/--cert-file and --key-file go together/);
    const missing = await controller(['--kubeconfig', '/does/not/exist']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/reading the kubeconfig failed/);
  });

  it('refuses lease timings that are not durations or not ordered retry < renew < lease (exit 2)', async () => {
    const bad = await controller(['--lease-duration', 'soon', '--kubeconfig', '/x']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--lease-duration: "soon" is not a duration like 15s/);
    const unordered = await controller([
      '--lease-duration',
      '5s',
      '--renew-deadline',
      '10s',
      '--kubeconfig',
      '/x',
    ]);
    expect(unordered.code).toBe(2);
    expect(unordered.stderr).toMatch(/--retry-period < --renew-deadline < --lease-duration/);
  });

  it('rejects an unknown log level before starting', async () => {
    expect((await controller(['--log-level', 'loud'])).code).toBe(2);
  });
});
