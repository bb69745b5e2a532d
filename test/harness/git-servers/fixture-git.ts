import { execFile } from 'node:child_process';
import { tmpdir } from 'node:os';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** Environment for the harness's own git commands: no user or system config, fixed identity. */
export function fixtureGitEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: tmpdir(),
    LC_ALL: 'C',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: 'Fixture',
    GIT_AUTHOR_EMAIL: 'fixture@example.invalid',
    GIT_COMMITTER_NAME: 'Fixture',
    GIT_COMMITTER_EMAIL: 'fixture@example.invalid',
    ...extra,
  };
}

/** Runs git for fixtures; throws with stderr on failure; returns trimmed stdout. */
export async function fixtureGit(
  args: readonly string[],
  options: { cwd?: string; input?: string | Buffer; env?: Readonly<Record<string, string>> } = {},
): Promise<string> {
  const child = execFileAsync('git', [...args], {
    cwd: options.cwd,
    env: fixtureGitEnv(options.env),
    maxBuffer: 256 * 1024 * 1024,
    encoding: 'utf8',
  });
  if (options.input !== undefined) child.child.stdin?.end(options.input);
  try {
    const { stdout } = await child;
    return stdout.trim();
  } catch (e: unknown) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`fixture git ${args.join(' ')} failed: ${stderr.trim()}`, { cause: e });
  }
}
