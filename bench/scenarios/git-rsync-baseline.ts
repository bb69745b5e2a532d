import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from '../measure/run-timed.ts';

/**
 * The whole-cycle baseline a user would script with plain tools: `git ls-remote` the ref, shallow-fetch
 * that commit into a reusable clone, check it out, `rsync -a --delete` the mapping roots into the data
 * dir. Returns the wall-clock ms of the whole sequence.
 */
export async function timeGitRsync(options: {
  readonly cloneDir: string;
  readonly repoUrl: string;
  readonly ref: string;
  readonly dest: string;
}): Promise<number> {
  const { cloneDir, repoUrl, ref, dest } = options;
  const started = performance.now();
  if (!existsSync(join(cloneDir, '.git'))) await runCommand('git', ['init', '--quiet', cloneDir]);
  const listed = await runCommand('git', ['ls-remote', repoUrl, `refs/tags/${ref}`]);
  const sha = listed.split('\t')[0]?.trim() ?? '';
  if (!/^[0-9a-f]{40}$/.test(sha)) throw new Error(`ls-remote found no ${ref} in ${repoUrl}`);
  await runCommand('git', ['-C', cloneDir, 'fetch', '--quiet', '--depth', '1', repoUrl, sha]);
  await runCommand('git', ['-C', cloneDir, 'checkout', '--quiet', '--force', '--detach', sha]);
  await runCommand('rsync', [
    '-a',
    '--delete',
    join(cloneDir, 'projects'),
    join(cloneDir, 'config'),
    `${dest}/`,
  ]);
  return performance.now() - started;
}
