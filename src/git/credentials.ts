import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gitError } from './git-error.ts';
import type { GitHomeState } from './git-home.ts';
import { secretVariants } from './redact.ts';
import type { GitTransport } from './repo-url.ts';

/** How to authenticate to the git server. Secrets are always *files* (mounted Secrets), read at call time. */
export type GitAuth =
  | { readonly kind: 'none' }
  | {
      readonly kind: 'ssh';
      readonly privateKeyFile: string;
      /** OpenSSH known_hosts content for the server. Required unless `insecureIgnoreHostKey` is set. */
      readonly knownHostsFile?: string;
      /** Accept any host key. Only for labs; every result then carries a warning the caller must report. */
      readonly insecureIgnoreHostKey?: boolean;
    }
  | {
      readonly kind: 'token';
      readonly tokenFile: string;
      /** `x-access-token` (GitHub, default), `oauth2` (GitLab OAuth), or the account name for PATs. */
      readonly username?: string;
    };

export const DEFAULT_TOKEN_USERNAME = 'x-access-token';

export const PLAIN_HTTP_TOKEN_WARNING =
  'the git token is sent over plain http://: anyone on the network path can read it; use https://';

export const INSECURE_HOST_KEY_WARNING =
  'ssh host key verification is disabled (insecureIgnoreHostKey): the git server is not authenticated';

/** What one git invocation needs for its credentials; `cleanup()` removes the per-call key copies. */
export interface PreparedAuth {
  readonly env: Readonly<Record<string, string>>;
  /** Secret values to mask in every message derived from this call. */
  readonly secrets: readonly string[];
  readonly warnings: readonly string[];
  cleanup(): Promise<void>;
}

const NO_AUTH: PreparedAuth = { env: {}, secrets: [], warnings: [], cleanup: async () => {} };

/** Single-quotes a value for the `sh -c` git runs GIT_SSH_COMMAND through. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

async function readSecretFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (e: unknown) {
    const code = (e as { code?: unknown }).code;
    throw gitError('GitCredentialsUnreadable', `reading ${what} failed: ${String(code ?? 'unreadable')}`, {
      details: { file: path },
    });
  }
}

async function prepareToken(
  auth: Extract<GitAuth, { kind: 'token' }>,
  isPlainHttp: boolean,
): Promise<PreparedAuth> {
  const raw = await readSecretFile(auth.tokenFile, 'git token file');
  const token = (raw.split(/\r?\n/)[0] ?? '').trim();
  if (token === '')
    throw gitError('GitCredentialsUnreadable', 'reading git token file failed: file is empty');
  const username = auth.username ?? DEFAULT_TOKEN_USERNAME;
  return {
    env: { IGNITION_SYNC_GIT_TOKEN_FILE: auth.tokenFile, IGNITION_SYNC_GIT_USERNAME: username },
    secrets: secretVariants(token, username),
    warnings: isPlainHttp ? [PLAIN_HTTP_TOKEN_WARNING] : [],
    cleanup: async () => {},
  };
}

interface SshOptions {
  readonly home: GitHomeState;
  readonly connectTimeoutSeconds: number;
  /** The repository URL is `http://` (a token would travel in clear text). */
  readonly isPlainHttp?: boolean;
}

/**
 * The ssh command line git runs (through `sh -c`, hence the quoting). `-F /dev/null`, IdentitiesOnly,
 * no agent and explicit known_hosts files mean nothing under ~/.ssh is read or written.
 */
function sshCommand(
  key: string,
  knownHosts: string,
  insecure: boolean,
  connectTimeoutSeconds: number,
): string {
  const options = [
    'IdentitiesOnly=yes',
    'IdentityAgent=none',
    'BatchMode=yes',
    `UserKnownHostsFile=${knownHosts}`,
    'GlobalKnownHostsFile=/dev/null',
    `StrictHostKeyChecking=${insecure ? 'no' : 'yes'}`,
    'UpdateHostKeys=no',
    'HashKnownHosts=no',
    `ConnectTimeout=${connectTimeoutSeconds}`,
    'ServerAliveInterval=15',
    'LogLevel=ERROR',
  ];
  return ['ssh', '-F', '/dev/null', '-i', key, ...options.flatMap((o) => ['-o', o])]
    .map(shellQuote)
    .join(' ');
}

async function prepareSsh(
  auth: Extract<GitAuth, { kind: 'ssh' }>,
  options: SshOptions,
): Promise<PreparedAuth> {
  if (!options.home.canRunSsh) {
    throw gitError(
      'GitUserUnknown',
      'ssh setup failed: this uid has no passwd entry and nss_wrapper (libnss_wrapper.so) is not installed',
    );
  }
  const insecure = auth.insecureIgnoreHostKey === true;
  if (auth.knownHostsFile === undefined && !insecure) {
    throw gitError(
      'HostKeyVerificationFailed',
      'ssh setup failed: no known_hosts given; set knownHostsFile or explicitly allow insecureIgnoreHostKey',
    );
  }
  const key = await readSecretFile(auth.privateKeyFile, 'ssh private key file');
  const callDir = await mkdtemp(join(options.home.root, 'call-'));
  const cleanup = () => rm(callDir, { recursive: true, force: true });
  try {
    // A private copy: mounted Secrets are often 0644 or owned by another uid, which ssh refuses.
    const keyCopy = join(callDir, 'identity');
    await writeFile(keyCopy, key.endsWith('\n') ? key : `${key}\n`, { mode: 0o600 });
    let knownHosts = '/dev/null';
    if (!insecure && auth.knownHostsFile !== undefined) {
      knownHosts = join(callDir, 'known_hosts');
      await readSecretFile(auth.knownHostsFile, 'ssh known_hosts file');
      await copyFile(auth.knownHostsFile, knownHosts);
    }
    return {
      env: {
        GIT_SSH_COMMAND: sshCommand(keyCopy, knownHosts, insecure, options.connectTimeoutSeconds),
        GIT_SSH_VARIANT: 'ssh',
      },
      secrets: [],
      warnings: insecure ? [INSECURE_HOST_KEY_WARNING] : [],
      cleanup,
    };
  } catch (e: unknown) {
    await cleanup();
    throw e;
  }
}

/**
 * Turns `auth` into environment for one git call. A token or ssh key that does not fit the transport
 * is ignored (a token for a `file://` mirror); an ssh URL always needs ssh auth.
 */
export async function prepareAuth(
  auth: GitAuth,
  transport: GitTransport,
  options: SshOptions,
): Promise<PreparedAuth> {
  if (auth.kind === 'token' && transport === 'http') return prepareToken(auth, options.isPlainHttp === true);
  if (auth.kind === 'ssh' && transport === 'ssh') return prepareSsh(auth, options);
  if (transport === 'ssh') {
    // plain `ssh` would read the real ~/.ssh (keys, config, known_hosts) of whatever user we run as
    throw gitError('GitAuthFailed', 'ssh setup failed: an ssh repository needs ssh auth (privateKeyFile)');
  }
  return NO_AUTH;
}
