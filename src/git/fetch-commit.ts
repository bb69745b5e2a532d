import { isRefusedWant } from './classify-failure.ts';
import type { CommandResult } from './command-runner.ts';
import { gitError } from './git-error.ts';
import type { GitProcess } from './git-process.ts';
import { isFullCommitSha } from './git-ref.ts';
import { hasCommit, isShallow, OWN_REF_PREFIX } from './local-repo.ts';
import { redactUrl } from './redact.ts';

/** Everything one fetch needs besides the commit. */
export interface FetchContext {
  readonly proc: GitProcess;
  readonly dir: string;
  /** Validated repository URL (no credentials). */
  readonly url: string;
  readonly env: Readonly<Record<string, string>>;
  readonly secrets: readonly string[];
  readonly signal?: AbortSignal | undefined;
}

/** How the commit got here: already present, fetched by id, or fetched through a ref. */
export type FetchMethod = 'present' | 'sha' | 'ref';

export interface FetchOptions {
  /** The ref the commit came from; needed only when the server refuses fetching by id. */
  readonly ref?: string | undefined;
  readonly depth: number;
  /** Asks the server which full ref name `ref` means now (undefined: it no longer exists). */
  readonly lookupRef: (ref: string) => Promise<string | undefined>;
}

/** History deepening steps for the fetch-the-ref fallback before fetching everything. */
const DEEPEN_STEPS = [100];

function fetchArgs(depthArgs: readonly string[], refspecs: readonly string[]): string[] {
  return [
    'fetch',
    '--quiet',
    '--no-tags',
    '--no-write-fetch-head',
    '--no-recurse-submodules',
    ...depthArgs,
    'origin',
    ...refspecs,
  ];
}

/**
 * Makes `commit` present in the local repository. First `git fetch --depth=N origin <sha>` (protocol v2
 * servers hand out any commit they have). When the server refuses an unadvertised id (protocol v0,
 * uploadpack.allowReachableSHA1InWant off), fetch the ref (or all branches and tags when no ref is
 * known) and deepen until the commit shows up and is reachable from what we fetched.
 */
export async function ensureCommit(
  ctx: FetchContext,
  commit: string,
  options: FetchOptions,
): Promise<FetchMethod> {
  if (await hasCommit(ctx.proc, ctx.dir, commit, ctx.signal)) return 'present';
  const what = `fetch ${commit} from ${redactUrl(ctx.url)}`;
  const run = (args: string[]) =>
    ctx.proc.attempt({
      args,
      cwd: ctx.dir,
      env: ctx.env,
      secrets: ctx.secrets,
      signal: ctx.signal,
      what,
      fallback: 'GitFetchFailed',
    });
  const depth = [`--depth=${options.depth}`];
  const bySha = await run(fetchArgs(depth, [commit]));
  if (bySha.exitCode === 0 && (await hasCommit(ctx.proc, ctx.dir, commit, ctx.signal))) return 'sha';
  if (bySha.exitCode !== 0 && !isRefusedWant(bySha.stderr))
    throw ctx.proc.failure({ what, fallback: 'GitFetchFailed', secrets: ctx.secrets }, bySha);

  return fetchThroughRef(ctx, commit, { ...options, what, run });
}

/** The v0 fallback: fetch the ref (or all branches and tags), deepen, and require reachability. */
async function fetchThroughRef(
  ctx: FetchContext,
  commit: string,
  options: FetchOptions & {
    readonly what: string;
    readonly run: (args: string[]) => Promise<CommandResult>;
  },
): Promise<FetchMethod> {
  const { what, run } = options;
  const depth = [`--depth=${options.depth}`];
  const refspecs = await fallbackRefspecs(options.ref, options.lookupRef);
  if (refspecs === undefined) {
    throw gitError(
      'CommitNotFound',
      `${what} failed: commit not found and ref ${options.ref ?? ''} no longer exists`,
    );
  }
  const first = await run(fetchArgs(depth, refspecs));
  if (first.exitCode !== 0) {
    if (isRefusedWant(first.stderr)) {
      throw gitError(
        'CommitNotFound',
        `${what} failed: commit not found and ref ${options.ref ?? '(any)'} no longer exists`,
      );
    }
    throw ctx.proc.failure({ what, fallback: 'GitFetchFailed', secrets: ctx.secrets }, first);
  }
  const deepening = [...DEEPEN_STEPS.map((n) => [`--deepen=${n}`]), ['--unshallow']];
  for (;;) {
    if (await isReachable(ctx, commit)) return 'ref';
    const step = deepening.shift();
    if (step === undefined || !(await isShallow(ctx.proc, ctx.dir, ctx.signal))) break;
    const r = await run(fetchArgs(step, refspecs));
    if (r.exitCode !== 0)
      throw ctx.proc.failure({ what, fallback: 'GitFetchFailed', secrets: ctx.secrets }, r);
  }
  throw gitError(
    'CommitNotFound',
    `${what} failed: commit is not reachable from ${options.ref ?? 'any branch or tag'} (force-pushed away or not pushed yet)`,
  );
}

async function fallbackRefspecs(
  ref: string | undefined,
  lookupRef: (ref: string) => Promise<string | undefined>,
): Promise<string[] | undefined> {
  if (ref === undefined || isFullCommitSha(ref)) {
    return [`+refs/heads/*:${OWN_REF_PREFIX}heads/*`, `+refs/tags/*:${OWN_REF_PREFIX}tags/*`];
  }
  const name = await lookupRef(ref);
  if (name === undefined) return undefined;
  return [`+${name}:${OWN_REF_PREFIX}fetch/${name === 'HEAD' ? 'HEAD' : name.replace(/^refs\//, '')}`];
}

async function isReachable(ctx: FetchContext, commit: string): Promise<boolean> {
  if (!(await hasCommit(ctx.proc, ctx.dir, commit, ctx.signal))) return false;
  const r = await ctx.proc.run({
    args: ['for-each-ref', '--count=1', '--format=%(refname)', `--contains=${commit}`, OWN_REF_PREFIX],
    cwd: ctx.dir,
    signal: ctx.signal,
    what: `check reachability of ${commit}`,
    fallback: 'GitCommandFailed',
  });
  return r.stdout.toString('utf8').trim() !== '';
}
