import { execFile } from 'node:child_process';
import { OperatorError } from '../../errors.ts';
import { StandaloneReasons } from '../../reasons/index.ts';

/** Runs git for the demo's local repository (creation only; syncing goes through the git component). */
export function runDemoGit(
  args: readonly string[],
  options: { cwd: string; pathEnv: string },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      {
        cwd: options.cwd,
        env: {
          PATH: options.pathEnv,
          HOME: options.cwd,
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_AUTHOR_NAME: 'ProveIt Demo',
          GIT_AUTHOR_EMAIL: 'demo@proveit.local',
          GIT_COMMITTER_NAME: 'ProveIt Demo',
          GIT_COMMITTER_EMAIL: 'demo@proveit.local',
        },
      },
      (error, stdout, stderr) => {
        if (error !== null) {
          reject(
            new OperatorError(
              StandaloneReasons.DemoSetupFailed,
              `git ${args[0] ?? ''} failed: ${stderr.trim()}`,
              {
                cause: error,
              },
            ),
          );
          return;
        }
        resolve(stdout);
      },
    );
  });
}
