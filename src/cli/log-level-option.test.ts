import { tmpdir } from 'node:os';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli } from './program.ts';

async function cli(args: readonly string[]): Promise<{ code: number; stderr: string }> {
  const chunks: string[] = [];
  const stderr = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const stdout = new Writable({ write: (_c, _e, done) => done() });
  const code = await runCli(args, {
    stdout,
    stderr,
    env: {},
    cwd: tmpdir(),
    signal: new AbortController().signal,
  });
  return { code, stderr: chunks.join('') };
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
