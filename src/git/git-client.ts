import { resolve as resolvePath } from 'node:path';
import type { Logger } from '../observability/index.ts';
import { createSilentLogger } from '../observability/index.ts';
import { type CommandRunner, runCommand } from './command-runner.ts';
import { type GitAuth, type PreparedAuth, prepareAuth } from './credentials.ts';
import { ensureCommit, type FetchMethod } from './fetch-commit.ts';
import { gitError } from './git-error.ts';
import { GitHome } from './git-home.ts';
import { GitProcess } from './git-process.ts';
import { assertFullCommitSha, assertSafeGitRef, isFullCommitSha } from './git-ref.ts';
import { checkoutCommit, hasCommit, openLocalRepo } from './local-repo.ts';
import { lsRemotePatterns, parseLsRemote, type ResolvedRef, selectRef } from './ls-remote.ts';
import { parseLsTree, type TreeEntry } from './ls-tree.ts';
import { type Change, parseNameStatus } from './name-status.ts';
import { redactUrl } from './redact.ts';
import { parseRepoUrl } from './repo-url.ts';

export interface GitClientOptions {
  readonly logger?: Logger;
  /** Per git command (not per call). Default 120 s. */
  readonly timeoutMs?: number;
  /** Parent of the private HOME/config directory. Default os.tmpdir(). */
  readonly tmpDir?: string;
  readonly runner?: CommandRunner;
  readonly gitBinary?: string;
  /** PATH for git and ssh (the library never reads process.env). */
  readonly pathEnv?: string;
  /** nss_wrapper library for UIDs without a passwd entry; null disables it. Default: searched. */
  readonly nssWrapperLibrary?: string | null;
}

export interface ResolveRefRequest {
  readonly repo: string;
  /** Branch, tag, `refs/heads/x`, `refs/tags/x`, `HEAD`, or a full 40-hex commit (returned as is). */
  readonly ref: string;
  readonly auth: GitAuth;
  readonly signal?: AbortSignal;
}

export interface ResolveRefResult extends ResolvedRef {
  /** Things the caller must report (e.g. host key checking disabled). */
  readonly warnings: readonly string[];
}

export interface FetchCommitRequest {
  readonly repo: string;
  readonly commit: string;
  /** The ref the commit came from; used only when the server refuses fetching by id. */
  readonly ref?: string;
  readonly auth: GitAuth;
  /** A directory this client owns: created, reused and forced to `commit`. One process per directory. */
  readonly dir: string;
  /** Shallow depth. Default 1. */
  readonly depth?: number;
  readonly signal?: AbortSignal;
}

export interface FetchCommitResult {
  readonly commit: string;
  readonly dir: string;
  readonly method: FetchMethod;
  readonly warnings: readonly string[];
}

export interface DiffRequest {
  readonly dir: string;
  readonly from: string;
  readonly to: string;
  /** With repo and auth, a commit missing locally is fetched (depth 1: a tree diff needs no history). */
  readonly repo?: string;
  readonly auth?: GitAuth;
  readonly signal?: AbortSignal;
}

export interface ListTreeRequest {
  readonly dir: string;
  readonly commit: string;
  readonly signal?: AbortSignal;
}

const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_TIMEOUT_MS = 120_000;

/**
 * The git source: resolve refs with `git ls-remote` (no clone), fetch exactly one commit into a reusable
 * checkout, diff two commits, list a tree. Every failure is an OperatorError with a GitReasons reason and
 * a redacted message. Call `close()` to remove the private HOME.
 */
export class GitClient {
  readonly #proc: GitProcess;
  readonly #home: GitHome;
  readonly #log: Logger;
  readonly #locks = new Map<string, Promise<unknown>>();

  constructor(options: GitClientOptions = {}) {
    this.#log = (options.logger ?? createSilentLogger()).child({ component: 'git' });
    this.#home = new GitHome({
      pathEnv: options.pathEnv ?? DEFAULT_PATH,
      ...(options.tmpDir === undefined ? {} : { tmpDir: options.tmpDir }),
      ...(options.nssWrapperLibrary === undefined ? {} : { nssWrapperLibrary: options.nssWrapperLibrary }),
    });
    this.#proc = new GitProcess({
      home: this.#home,
      runner: options.runner ?? runCommand,
      logger: this.#log,
      gitBinary: options.gitBinary ?? 'git',
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    });
  }

  /** Resolves `ref` on the server to a commit (annotated tags peeled); a tag wins over a same-named branch. */
  async resolveRef(req: ResolveRefRequest): Promise<ResolveRefResult> {
    const { url, transport } = parseRepoUrl(req.repo);
    if (isFullCommitSha(req.ref)) return { commit: req.ref, refName: req.ref, kind: 'commit', warnings: [] };
    assertSafeGitRef(req.ref);
    return this.#withAuth(req.auth, transport, url, async (auth) => {
      const found = await this.#lsRemote(url, req.ref, auth, req.signal);
      if (found === undefined) {
        throw gitError(
          'RefNotFound',
          `resolving ref ${req.ref} in ${redactUrl(url)} failed: no such branch or tag`,
        );
      }
      this.#log.debug({ repo: redactUrl(url), ref: req.ref, commit: found.commit }, 'ref resolved');
      return { ...found, warnings: auth.warnings };
    });
  }

  /** Fetches `commit` into `dir`, checks it out (forced, cleaned) and verifies HEAD. */
  async fetchCommit(req: FetchCommitRequest): Promise<FetchCommitResult> {
    const { url, transport } = parseRepoUrl(req.repo);
    assertFullCommitSha(req.commit);
    if (req.ref !== undefined && !isFullCommitSha(req.ref)) assertSafeGitRef(req.ref);
    const dir = resolvePath(req.dir);
    return this.#withDirLock(dir, () =>
      this.#withAuth(req.auth, transport, url, async (auth) => {
        await openLocalRepo(this.#proc, dir, url, req.signal);
        const method = await ensureCommit(
          { proc: this.#proc, dir, url, env: auth.env, secrets: auth.secrets, signal: req.signal },
          req.commit,
          {
            ref: req.ref,
            depth: Math.max(1, Math.floor(req.depth ?? 1)),
            lookupRef: async (ref) => (await this.#lsRemote(url, ref, auth, req.signal))?.refName,
          },
        );
        await checkoutCommit(this.#proc, dir, req.commit, req.signal);
        this.#log.info({ repo: redactUrl(url), commit: req.commit, method }, 'commit checked out');
        return { commit: req.commit, dir, method, warnings: auth.warnings };
      }),
    );
  }

  /** Name-status changes from `from` to `to` with rename detection; `from === to` gives []. */
  async diff(req: DiffRequest): Promise<Change[]> {
    assertFullCommitSha(req.from);
    assertFullCommitSha(req.to);
    if (req.from === req.to) return [];
    const dir = resolvePath(req.dir);
    return this.#withDirLock(dir, async () => {
      for (const commit of [req.from, req.to]) await this.#ensureLocal(dir, commit, req);
      const r = await this.#proc.run({
        args: ['diff-tree', '-r', '-z', '-M', '--name-status', '--no-commit-id', req.from, req.to],
        cwd: dir,
        signal: req.signal,
        what: `diff ${req.from}..${req.to}`,
        fallback: 'GitCommandFailed',
      });
      return parseNameStatus(r.stdout);
    });
  }

  /**
   * Whether `candidate` is older than `than` by committer time (both fetched at depth 1 when missing). A
   * shallow checkout has no history to walk, so ancestry is judged by time; callers use it to say so when a
   * sync moves a gateway back, never to refuse one.
   */
  async isOlder(
    req: { readonly candidate: string; readonly than: string } & Omit<DiffRequest, 'from' | 'to'>,
  ): Promise<boolean> {
    assertFullCommitSha(req.candidate);
    assertFullCommitSha(req.than);
    if (req.candidate === req.than) return false;
    const dir = resolvePath(req.dir);
    const asDiff = { ...req, from: req.than, to: req.candidate };
    return this.#withDirLock(dir, async () => {
      for (const commit of [req.than, req.candidate]) await this.#ensureLocal(dir, commit, asDiff);
      const r = await this.#proc.run({
        args: ['show', '-s', '--format=%ct', req.candidate, req.than],
        cwd: dir,
        signal: req.signal,
        what: `commit times of ${req.candidate} and ${req.than}`,
        fallback: 'GitCommandFailed',
      });
      const [candidate, than] = r.stdout.toString('utf8').trim().split('\n').map(Number);
      return candidate !== undefined && than !== undefined && candidate < than;
    });
  }

  /** Every blob, symlink (120000) and submodule (160000) entry of `commit`, recursively. */
  async listTree(req: ListTreeRequest): Promise<TreeEntry[]> {
    assertFullCommitSha(req.commit);
    const dir = resolvePath(req.dir);
    return this.#withDirLock(dir, async () => {
      if (!(await hasCommit(this.#proc, dir, req.commit, req.signal))) {
        throw gitError('CommitNotFound', `listing tree of ${req.commit} failed: commit is not in ${dir}`);
      }
      const r = await this.#proc.run({
        args: ['ls-tree', '-r', '-l', '-z', '--full-tree', req.commit],
        cwd: dir,
        signal: req.signal,
        what: `list tree ${req.commit}`,
        fallback: 'GitCommandFailed',
      });
      return parseLsTree(r.stdout);
    });
  }

  /** Removes the private HOME and config. The client must not be used afterwards. */
  async close(): Promise<void> {
    await this.#home.dispose();
  }

  async #ensureLocal(dir: string, commit: string, req: DiffRequest): Promise<void> {
    if (await hasCommit(this.#proc, dir, commit, req.signal)) return;
    if (req.repo === undefined || req.auth === undefined) {
      throw gitError(
        'CommitNotFound',
        `diff failed: commit ${commit} is not in ${dir} and no repository was given`,
      );
    }
    const { url, transport } = parseRepoUrl(req.repo);
    await this.#withAuth(req.auth, transport, url, async (auth) => {
      await openLocalRepo(this.#proc, dir, url, req.signal);
      await ensureCommit(
        { proc: this.#proc, dir, url, env: auth.env, secrets: auth.secrets, signal: req.signal },
        commit,
        {
          depth: 1,
          lookupRef: async () => undefined,
        },
      );
    });
  }

  async #lsRemote(
    url: string,
    ref: string,
    auth: PreparedAuth,
    signal?: AbortSignal,
  ): Promise<ResolvedRef | undefined> {
    const r = await this.#proc.run({
      args: ['ls-remote', '--', url, ...lsRemotePatterns(ref)],
      env: auth.env,
      secrets: auth.secrets,
      signal,
      what: `ls-remote ${redactUrl(url)}`,
      fallback: 'GitCommandFailed',
    });
    return selectRef(parseLsRemote(r.stdout.toString('utf8')), ref);
  }

  async #withAuth<T>(
    auth: GitAuth,
    transport: Parameters<typeof prepareAuth>[1],
    url: string,
    fn: (a: PreparedAuth) => Promise<T>,
  ): Promise<T> {
    const home = await this.#home.get();
    const connectTimeoutSeconds = Math.max(1, Math.ceil(this.#proc.timeoutMs / 1000));
    const isPlainHttp = url.toLowerCase().startsWith('http://');
    const prepared = await prepareAuth(auth, transport, { home, connectTimeoutSeconds, isPlainHttp });
    for (const warning of prepared.warnings) this.#log.warn({ warning }, 'insecure git setting');
    try {
      return await fn(prepared);
    } finally {
      await prepared.cleanup();
    }
  }

  /** Serialises work on one checkout directory inside this process (git's own locks would fail instead). */
  async #withDirLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.#locks.get(dir) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(fn);
    this.#locks.set(dir, current);
    try {
      return await current;
    } finally {
      if (this.#locks.get(dir) === current) this.#locks.delete(dir);
    }
  }
}
