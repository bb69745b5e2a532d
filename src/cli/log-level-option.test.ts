import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/harness/memory-io.ts';
import { runCli } from './program.ts';

async function cli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const io = memoryIo(tmpdir(), { env: {} });
  const code = await runCli(args, io.io);
  return { code, stderr: io.stderr() };
}

describe('--log-level', () => {
  it.each([
    ['run', '-f', 'does-not-exist.yaml'],
    ['gateway-sim', '--data-dir', 'does-not-exist'],
  ])(
    'an unknown level for %s is invalid input (exit 2) naming the allowed levels, not a crash',
    async (...args) => {
      const r = await cli([...args, '--log-level', 'verbose']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("argument 'verbose' is invalid");
      expect(r.stderr).toContain('debug');
    },
  );
});
