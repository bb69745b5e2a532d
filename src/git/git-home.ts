import { access, chmod, lstat, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

/**
 * The global git configuration every command runs with (GIT_CONFIG_GLOBAL; the system file is ignored).
 * Why each entry:
 * - safe.directory=*: checkouts are owned by whatever UID the pod runs as; ownership checks would refuse them.
 * - protocol.version=2: lets servers hand out any reachable commit by id (fetch-by-SHA).
 * - credential.helper empty, core.askPass unset: the only credential source is our askpass + token file.
 * - core.hooksPath=/dev/null, fsmonitor off, submodules off: nothing from the repository runs code here.
 * - core.logAllRefUpdates=false: no reflogs, so `gc --auto` can drop commits we no longer check out.
 * - gc.autoDetach=false: no background gc outliving the command (and its timeout).
 */
export const GIT_GLOBAL_CONFIG = `[safe]
\tdirectory = *
[protocol]
\tversion = 2
[protocol "ext"]
\tallow = never
[credential]
\thelper =
[core]
\thooksPath = /dev/null
\tfsmonitor = false
\tlogAllRefUpdates = false
\tquotePath = false
[init]
\tdefaultBranch = main
[advice]
\tdetachedHead = false
[fetch]
\trecurseSubmodules = false
\twriteCommitGraph = false
[submodule]
\trecurse = false
[gc]
\tautoDetach = false
[maintenance]
\tauto = false
[transfer]
\tcredentialsInUrl = die
`;

/**
 * Reads the username for `Username for ...` and the token file for `Password for ...`. The token never
 * passes through our environment, argv or the remote URL: only its *path* is in the env.
 */
export const ASKPASS_SCRIPT = `#!/bin/sh
case "$1" in
  [Uu]sername*) printf '%s\\n' "$IGNITION_SYNC_GIT_USERNAME" ;;
  *) IFS= read -r t < "$IGNITION_SYNC_GIT_TOKEN_FILE" || [ -n "$t" ] || exit 1
     printf '%s\\n' "$t" | tr -d '\\r' ;;
esac
`;

/** Where the nss_wrapper preload library usually lives on Debian/Ubuntu/Fedora images. */
export const NSS_WRAPPER_CANDIDATES: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/libnss_wrapper.so',
  '/usr/lib/aarch64-linux-gnu/libnss_wrapper.so',
  '/usr/lib64/libnss_wrapper.so',
  '/usr/lib/libnss_wrapper.so',
];

export interface GitHomeOptions {
  readonly tmpDir?: string;
  /** PATH for git and ssh; the library never reads process.env. */
  readonly pathEnv: string;
  /** Explicit nss_wrapper library, `null` to disable the lookup. */
  readonly nssWrapperLibrary?: string | null;
}

/**
 * A private (0700) temporary directory holding HOME, the global git config, the askpass helper and, when
 * the process UID has no passwd entry, nss_wrapper passwd/group files so OpenSSH can start (it exits with
 * "No user exists for uid N" otherwise). Created on first use, removed by `dispose()`.
 */
export class GitHome {
  readonly #options: GitHomeOptions;
  #ready: Promise<GitHomeState> | undefined;

  constructor(options: GitHomeOptions) {
    this.#options = options;
  }

  get(): Promise<GitHomeState> {
    this.#ready ??= createHome(this.#options);
    return this.#ready;
  }

  async dispose(): Promise<void> {
    const ready = this.#ready;
    this.#ready = undefined;
    if (ready === undefined) return;
    const state = await ready.catch(() => undefined);
    if (state !== undefined) await rm(state.root, { recursive: true, force: true });
  }
}

export interface GitHomeState {
  readonly root: string;
  readonly home: string;
  readonly askpass: string;
  /** Environment every git command gets (no credentials in it). */
  readonly env: Readonly<Record<string, string>>;
  /** False when the UID has no passwd entry and no nss_wrapper was found: ssh cannot run. */
  readonly canRunSsh: boolean;
}

function hasPasswdEntry(): boolean {
  try {
    userInfo();
    return true;
  } catch {
    return false;
  }
}

async function findNssWrapper(explicit: string | null | undefined): Promise<string | undefined> {
  if (explicit === null) return undefined;
  for (const candidate of explicit === undefined ? NSS_WRAPPER_CANDIDATES : [explicit]) {
    try {
      await access(candidate);
      return candidate;
    } catch {
      // try the next one
    }
  }
  return undefined;
}

const HOME_PREFIX = 'ignition-sync-git-';
const HOME_NAME = /^ignition-sync-git-(\d+)-/;

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e: unknown) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the git homes that killed processes left behind (`kill -9` skips `dispose()`): they hold copies of
 * SSH keys. A home is named after the pid that made it; only homes of processes that no longer exist and that
 * belong to this user are removed.
 */
export async function removeAbandonedHomes(tmpDir: string): Promise<string[]> {
  const removed: string[] = [];
  const entries = await readdir(tmpDir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const pid = Number(HOME_NAME.exec(entry.name)?.[1] ?? Number.NaN);
    if (!entry.isDirectory() || Number.isNaN(pid) || pid === process.pid || isAlive(pid)) continue;
    const path = join(tmpDir, entry.name);
    const owner = await lstat(path).then(
      (st) => st.uid,
      () => undefined,
    );
    if (owner === undefined || owner !== process.getuid?.()) continue;
    await rm(path, { recursive: true, force: true });
    removed.push(path);
  }
  return removed;
}

async function createHome(options: GitHomeOptions): Promise<GitHomeState> {
  const tmp = options.tmpDir ?? tmpdir();
  await removeAbandonedHomes(tmp);
  const root = await mkdtemp(join(tmp, `${HOME_PREFIX}${process.pid}-`));
  await chmod(root, 0o700);
  const home = join(root, 'home');
  await mkdir(home, { mode: 0o700 });
  const gitconfig = join(root, 'gitconfig');
  await writeFile(gitconfig, GIT_GLOBAL_CONFIG, { mode: 0o600 });
  const askpass = join(root, 'askpass.sh');
  await writeFile(askpass, ASKPASS_SCRIPT, { mode: 0o700 });
  const env: Record<string, string> = {
    PATH: options.pathEnv,
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_GLOBAL: gitconfig,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ALLOW_PROTOCOL: 'file:http:https:ssh',
    GIT_ASKPASS: askpass,
    LC_ALL: 'C',
    LANG: 'C',
  };
  let canRunSsh = true;
  if (!hasPasswdEntry()) {
    const library = await findNssWrapper(options.nssWrapperLibrary);
    if (library === undefined) {
      canRunSsh = false;
    } else {
      const uid = process.getuid?.() ?? 0;
      const gid = process.getgid?.() ?? 0;
      const passwd = join(root, 'passwd');
      const group = join(root, 'group');
      await writeFile(passwd, `ignition-sync:x:${uid}:${gid}:ignition-sync:${home}:/bin/sh\n`, {
        mode: 0o600,
      });
      await writeFile(group, `ignition-sync:x:${gid}:\n`, { mode: 0o600 });
      Object.assign(env, { LD_PRELOAD: library, NSS_WRAPPER_PASSWD: passwd, NSS_WRAPPER_GROUP: group });
    }
  }
  return { root, home, askpass, env, canRunSsh };
}
