import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** testenv/build.sh of this checkout. */
export const BUILD_SCRIPT = fileURLToPath(new URL('../../../testenv/build.sh', import.meta.url));

/**
 * Runs testenv/build.sh (a no-op when the cached binaries match) and resolves with the bin dir it prints.
 * Build progress goes to this process's stderr, so a cold build is visible in the test output.
 */
export function ensureControlPlaneBinaries(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const binDir = out.trim().split('\n').pop() ?? '';
      if (code === 0 && binDir !== '') resolve(binDir);
      else reject(new Error(`testenv/build.sh failed with exit code ${code}`));
    });
  });
}
