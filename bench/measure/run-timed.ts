import { spawn } from 'node:child_process';

/** Runs a command to completion and returns its wall-clock duration in ms (spawn to exit). */
export async function runTimed(command: string, args: readonly string[]): Promise<number> {
  const started = performance.now();
  await runCommand(command, args);
  return performance.now() - started;
}

/** Runs a command; rejects with its stderr when it exits non-zero. */
export function runCommand(command: string, args: readonly string[], cwd?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(cwd === undefined ? {} : { cwd }),
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else
        reject(
          new Error(`${command} ${args.join(' ')} exited ${code}: ${Buffer.concat(err).toString('utf8')}`),
        );
    });
  });
}
