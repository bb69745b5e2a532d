import type { ChangeEntry } from '../engine/worker-protocol.ts';
import { runCommand } from '../measure/run-timed.ts';

/**
 * `git diff-tree -r -z -M --name-status` between two commits of the bench repository: the change list
 * the agent would hand the engine (computed before timing; the whole-cycle scenarios time it).
 */
export async function diffCommits(gitDir: string, from: string, to: string): Promise<ChangeEntry[]> {
  const out = await runCommand('git', [
    '--git-dir',
    gitDir,
    'diff-tree',
    '-r',
    '-z',
    '-M',
    '--name-status',
    '--no-commit-id',
    from,
    to,
  ]);
  const fields = out.split('\0');
  const changes: ChangeEntry[] = [];
  for (let i = 0; i < fields.length - 1; ) {
    const status = (fields[i++] ?? '').charAt(0);
    if (status === 'R') {
      const oldPath = fields[i++] ?? '';
      changes.push({ status: 'R', oldPath, path: fields[i++] ?? '' });
    } else if (status === 'A' || status === 'M' || status === 'D' || status === 'T') {
      changes.push({ status, path: fields[i++] ?? '' });
    }
  }
  return changes;
}
