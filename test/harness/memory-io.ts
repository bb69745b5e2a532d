import { PassThrough } from 'node:stream';
import type { CliIo } from '../../src/cli/index.ts';

/** CLI io over in-memory streams (what `runCli` gets from src/bin/cli.ts in production), read back as text. */
export function memoryIo(
  cwd: string,
  options: { env?: CliIo['env']; signal?: AbortSignal } = {},
): { io: CliIo; stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  stdout.on('data', (c: Buffer) => {
    out += c.toString();
  });
  stderr.on('data', (c: Buffer) => {
    err += c.toString();
  });
  const io: CliIo = {
    stdout,
    stderr,
    env: options.env ?? { PATH: process.env.PATH },
    cwd,
    signal: options.signal ?? new AbortController().signal,
  };
  return { io, stdout: () => out, stderr: () => err };
}
