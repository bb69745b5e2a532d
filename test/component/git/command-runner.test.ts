import { describe, expect, it } from 'vitest';
import { runCommand } from '../../../src/git/index.ts';
import { waitFor } from '../../harness/wait-for.ts';

const env = { PATH: process.env.PATH ?? '/usr/bin:/bin' };

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('runCommand', () => {
  it('runs without a shell and with exactly the given environment', async () => {
    const r = await runCommand({
      command: 'sh',
      args: ['-c', 'printf "%s|%s" "$1" "$HOME"', 'sh', '$(id) ; x'],
      env,
    });
    expect(r).toMatchObject({ exitCode: 0, timedOut: false });
    expect(r.stdout.toString()).toBe('$(id) ; x|');
  });

  it('captures stderr and the exit code', async () => {
    const r = await runCommand({ command: 'sh', args: ['-c', 'echo oops >&2; exit 3'], env });
    expect(r).toMatchObject({ exitCode: 3, stderr: 'oops\n' });
  });

  it('kills the whole process group on timeout (grandchildren too)', async () => {
    const r = await runCommand({
      command: 'sh',
      args: ['-c', 'sleep 30 & echo $!; wait'],
      env,
      timeoutMs: 300,
    });
    expect(r.timedOut).toBe(true);
    const grandchild = Number(r.stdout.toString().trim());
    expect(grandchild).toBeGreaterThan(0);
    await waitFor('the grandchild to exit', () => !isAlive(grandchild), { timeoutMs: 5_000, intervalMs: 50 });
    expect(isAlive(grandchild)).toBe(false);
  });

  it('stops on caller abort', async () => {
    const controller = new AbortController();
    const pending = runCommand({ command: 'sleep', args: ['30'], env, signal: controller.signal });
    controller.abort();
    expect(await pending).toMatchObject({ aborted: true, timedOut: false });
  });

  it('caps stdout instead of buffering without bound', async () => {
    const r = await runCommand({
      command: 'sh',
      args: ['-c', 'yes | head -c 10000000'],
      env,
      maxStdoutBytes: 1000,
    });
    expect(r.outputTooLarge).toBe(true);
    expect(r.stdout.length).toBeLessThanOrEqual(1000);
  });

  it('reports a program that cannot start', async () => {
    const r = await runCommand({ command: 'definitely-not-a-command-xyz', args: [], env });
    expect(r.spawnError).toMatch(/ENOENT/);
  });
});
