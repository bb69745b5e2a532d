import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/cli/index.ts';
import { memoryIo } from '../../harness/memory-io.ts';

let root: string | undefined;
/** CLI runs still going when a test ends (it failed before aborting them): stopped before the dir goes. */
const running: Array<{ abort: () => void; exit: Promise<number> }> = [];
afterEach(async () => {
  for (const cli of running.splice(0)) {
    cli.abort();
    await cli.exit.catch(() => undefined);
  }
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  root = undefined;
});

function startCli(args: string[]) {
  const ac = new AbortController();
  const cli = memoryIo(root ?? tmpdir(), { env: {}, signal: ac.signal });
  const exit = runCli(args, cli.io);
  running.push({ abort: () => ac.abort(), exit });
  return { exit, abort: () => ac.abort(), out: cli.stdout, err: cli.stderr };
}

describe('ignition-sync gateway-sim', () => {
  it('serves the gateway and control ports until aborted', async () => {
    root = await mkdtemp(join(tmpdir(), 'igs-gwsim-'));
    const cli = startCli([
      'gateway-sim',
      '--data-dir',
      'data',
      '--port',
      '0',
      '--control-port',
      '0',
      '--token',
      'ops:b3BzLXNlY3JldA:write',
      '--scan-duration-ms',
      '20',
      '--tls',
      '--ca-out',
      'ca.pem',
    ]);
    await expect.poll(() => cli.out(), { timeout: 10_000 }).toContain('controlUrl');
    const started = JSON.parse(cli.out().trim()) as { url: string; controlUrl: string; caFile: string };
    expect(started.url).toMatch(/^https:\/\/localhost:\d+$/);
    expect(await readFile(started.caFile, 'utf8')).toContain('BEGIN CERTIFICATE');
    const state = (await (await fetch(`${started.controlUrl}/control/state`)).json()) as {
      tokens: { name: string }[];
    };
    expect(state.tokens.map((t) => t.name)).toEqual(['ops']);
    cli.abort();
    expect(await cli.exit).toBe(0);
    await expect(fetch(`${started.controlUrl}/control/state`)).rejects.toThrow();
  });

  it('rejects a malformed token with exit code 2', async () => {
    root = await mkdtemp(join(tmpdir(), 'igs-gwsim-'));
    const cli = startCli(['gateway-sim', '--data-dir', 'data', '--token', 'no-secret']);
    expect(await cli.exit).toBe(2);
    expect(cli.err()).toContain('invalid flag: token must be name:secret');
  });
});
