// The real `helm` CLI for the chart tests: built from its Go module by testenv/build-helm.sh (once per machine,
// then cached; `npm test` builds it before Vitest through scripts/test-prereqs.ts).
import { execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const HELM_BUILD_SCRIPT = fileURLToPath(new URL('../../../testenv/build-helm.sh', import.meta.url));
export const CHART_DIR = fileURLToPath(new URL('../../../deploy/helm/ignition-sync', import.meta.url));

/** Runs testenv/build-helm.sh (a no-op when cached); resolves with the helm binary's path it prints last. */
export function ensureHelm(): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [HELM_BUILD_SCRIPT], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      const helm = out.trim().split('\n').pop() ?? '';
      if (code === 0 && helm !== '') resolve(helm);
      else reject(new Error(`testenv/build-helm.sh failed with exit code ${code}`));
    });
  });
}

export interface HelmResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `helm args…` with a private HOME-independent config (HELM_*_HOME under `stateDir`), so the tests never
 * read or write the user's helm repositories, cache or registry logins.
 */
export function runHelm(helm: string, args: readonly string[], stateDir: string): Promise<HelmResult> {
  return new Promise((resolve, reject) => {
    execFile(
      helm,
      [...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: stateDir,
          HELM_CACHE_HOME: `${stateDir}/cache`,
          HELM_CONFIG_HOME: `${stateDir}/config`,
          HELM_DATA_HOME: `${stateDir}/data`,
        },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') reject(error);
        else resolve({ code: error === null ? 0 : (error.code as number), stdout, stderr });
      },
    );
  });
}
