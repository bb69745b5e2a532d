import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { gitError } from './git-error.ts';
import type { GitProcess } from './git-process.ts';

/** Lock files a killed git leaves behind. Safe to remove: the caller holds the per-directory lock. */
const STALE_LOCKS = ['index.lock', 'shallow.lock', 'HEAD.lock', 'config.lock', 'packed-refs.lock'];

/** Our private ref namespace inside a checkout; `current` keeps the checked-out commit alive across gc. */
export const OWN_REF_PREFIX = 'refs/ignition-sync/';
export const CURRENT_REF = `${OWN_REF_PREFIX}current`;

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Makes `dir` a git repository whose `origin` is `url`: init once, re-point the remote every time
 * (the URL may change between calls). A directory with files but no `.git` is refused, never wiped; a
 * corrupt `.git` (ours) is recreated.
 */
export async function openLocalRepo(
  proc: GitProcess,
  dir: string,
  url: string,
  signal?: AbortSignal,
): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e: unknown) {
    const code = String((e as { code?: unknown }).code ?? 'unusable');
    throw gitError('GitWorkdirInvalid', `preparing checkout ${dir} failed: ${code}`, { cause: e });
  }
  const gitDir = join(dir, '.git');
  if (await exists(gitDir)) {
    await Promise.all(STALE_LOCKS.map((name) => rm(join(gitDir, name), { force: true })));
    const probe = await proc.attempt({
      args: ['rev-parse', '--git-dir'],
      cwd: dir,
      signal,
      what: `open ${dir}`,
      fallback: 'GitCommandFailed',
    });
    if (probe.exitCode !== 0) await rm(gitDir, { recursive: true, force: true });
  } else if ((await readdir(dir)).length > 0) {
    throw gitError(
      'GitWorkdirInvalid',
      `preparing checkout ${dir} failed: directory is not empty and not a git checkout`,
    );
  }
  if (!(await exists(gitDir))) {
    await proc.run({ args: ['init', '-q', dir], signal, what: `init ${dir}`, fallback: 'GitCommandFailed' });
  }
  await proc.run({
    args: ['config', 'remote.origin.url', url],
    cwd: dir,
    signal,
    what: `configure ${dir}`,
    fallback: 'GitCommandFailed',
  });
}

/** True when `commit` (a full SHA) exists locally as a commit. */
export async function hasCommit(
  proc: GitProcess,
  dir: string,
  commit: string,
  signal?: AbortSignal,
): Promise<boolean> {
  if (!(await exists(join(dir, '.git')))) return false;
  const r = await proc.attempt({
    args: ['cat-file', '-e', `${commit}^{commit}`],
    cwd: dir,
    signal,
    what: `look up ${commit}`,
    fallback: 'GitCommandFailed',
  });
  return r.exitCode === 0;
}

export async function isShallow(proc: GitProcess, dir: string, signal?: AbortSignal): Promise<boolean> {
  const r = await proc.run({
    args: ['rev-parse', '--is-shallow-repository'],
    cwd: dir,
    signal,
    what: `inspect ${dir}`,
    fallback: 'GitCommandFailed',
  });
  return r.stdout.toString('utf8').trim() === 'true';
}

/**
 * Forces the work tree to exactly `commit`: detached checkout discarding local edits, removal of every
 * untracked and ignored file (also nested repositories), then `HEAD` must equal `commit`. Afterwards
 * only `refs/ignition-sync/current` holds history, so `gc --auto` can drop what we no longer need.
 */
export async function checkoutCommit(
  proc: GitProcess,
  dir: string,
  commit: string,
  signal?: AbortSignal,
): Promise<void> {
  const base = { cwd: dir, signal, fallback: 'GitCheckoutMismatch' as const };
  await proc.run({
    ...base,
    args: ['checkout', '-q', '--force', '--detach', commit],
    what: `checkout ${commit}`,
  });
  await proc.run({ ...base, args: ['clean', '-q', '-ffdx'], what: `clean ${dir}` });
  const head = (
    await proc.run({ ...base, args: ['rev-parse', '--verify', 'HEAD'], what: `verify ${dir}` })
  ).stdout
    .toString('utf8')
    .trim();
  if (head !== commit) {
    throw gitError('GitCheckoutMismatch', `checkout ${commit} failed: HEAD is ${head || 'unset'}`);
  }
  const refs = (
    await proc.run({
      ...base,
      args: ['for-each-ref', '--format=%(refname)', OWN_REF_PREFIX],
      what: `list refs in ${dir}`,
    })
  ).stdout
    .toString('utf8')
    .split('\n')
    .filter((r) => r !== '' && r !== CURRENT_REF);
  const input = [`update ${CURRENT_REF} ${commit}`, ...refs.map((r) => `delete ${r}`)].join('\n');
  await proc.run({
    ...base,
    args: ['update-ref', '--stdin'],
    what: `update refs in ${dir}`,
    input: `${input}\n`,
  });
  // Housekeeping only: a failed `gc --auto` must not fail a sync that already verified HEAD.
  await proc.attempt({
    ...base,
    args: ['gc', '--auto', '--quiet'],
    what: `gc ${dir}`,
    fallback: 'GitCommandFailed',
  });
}
