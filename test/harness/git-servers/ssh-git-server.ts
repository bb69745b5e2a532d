import { type ChildProcess, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net.ts';
import { generateSshKeyPair, knownHostsLine, type SshKeyPair } from './ssh-keys.ts';

export const SSHD = '/usr/sbin/sshd';

export interface SshGitServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  readonly root: string;
  readonly sshd?: string;
  /** How long to wait for "Server listening". Default 15 s. */
  readonly startTimeoutMs?: number;
}

export interface SshGitServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The account clients log in as: the user running the tests (sshd cannot switch users unless root). */
  readonly user: string;
  /** `ssh://<user>@127.0.0.1:<port>/<root>/<name>.git` */
  url(name: string): string;
  /** The authorised client key. */
  readonly clientKey: SshKeyPair;
  readonly hostKey: SshKeyPair;
  /** known_hosts file that trusts this server's host key. */
  readonly knownHostsFile: string;
  /** Working directory of the server (keys, config); tests may put extra key files here. */
  readonly dir: string;
  /** sshd's log lines so far (-e), for debugging failed tests. */
  logs(): string;
  close(): Promise<void>;
}

/** Only git-upload-pack / git-receive-pack run, through git-shell; anything else is refused. */
const FORCED_COMMAND = `#!/bin/sh
case "$SSH_ORIGINAL_COMMAND" in
  "git-upload-pack "*|"git-receive-pack "*|"git upload-pack "*|"git receive-pack "*) exec git-shell -c "$SSH_ORIGINAL_COMMAND" ;;
  *) echo "only git fetch and push are allowed" >&2; exit 1 ;;
esac
`;

/** sshd running as root needs its privilege-separation directory (Debian creates it at boot only). */
async function ensurePrivsepDir(): Promise<void> {
  if (process.getuid?.() !== 0) return;
  try {
    await stat('/run/sshd');
  } catch {
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  }
}

function sshdConfig(dir: string, port: number, user: string): string {
  return [
    `ListenAddress 127.0.0.1:${port}`,
    `HostKey ${join(dir, 'host_ed25519')}`,
    'PidFile none',
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // the test's temp dirs are not root-owned all the way up; the key file itself is private
    'StrictModes no',
    `AllowUsers ${user}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PermitRootLogin prohibit-password',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'PermitUserEnvironment no',
    'AcceptEnv GIT_PROTOCOL',
    `ForceCommand ${join(dir, 'forced-command.sh')}`,
    'LogLevel VERBOSE',
    '',
  ].join('\n');
}

async function spawnSshd(
  sshd: string,
  config: string,
  timeoutMs: number,
): Promise<{ child: ChildProcess; log: string[] }> {
  const log: string[] = [];
  const child = spawn(sshd, ['-D', '-e', '-f', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sshd did not start: ${log.join('')}`)), timeoutMs);
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      log.push(chunk);
      if (log.join('').includes('Server listening on')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sshd exited with ${String(code)}: ${log.join('')}`));
    });
  });
  return { child, log };
}

/**
 * Debian's OpenSSH server on 127.0.0.1:<free port> with generated host and client keys. Works as root
 * and as an ordinary user; only key auth; every session is forced through git-shell.
 */
export async function startSshGitServer(options: SshGitServerOptions): Promise<SshGitServer> {
  await ensurePrivsepDir();
  const dir = await mkdtemp(join(tmpdir(), 'ssh-git-server-'));
  const user = userInfo().username;
  const [hostKey, clientKey] = await Promise.all([
    generateSshKeyPair(join(dir, 'host_ed25519'), 'host'),
    generateSshKeyPair(join(dir, 'client_ed25519'), 'client'),
  ]);
  await writeFile(join(dir, 'authorized_keys'), `restrict ${clientKey.publicKey}\n`, { mode: 0o600 });
  await writeFile(join(dir, 'forced-command.sh'), FORCED_COMMAND);
  await chmod(join(dir, 'forced-command.sh'), 0o755);
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const config = join(dir, 'sshd_config');
    await writeFile(config, sshdConfig(dir, port, user));
    try {
      const { child, log } = await spawnSshd(options.sshd ?? SSHD, config, options.startTimeoutMs ?? 15_000);
      const knownHostsFile = join(dir, 'known_hosts');
      await writeFile(knownHostsFile, knownHostsLine('127.0.0.1', port, hostKey.publicKey));
      return {
        host: '127.0.0.1',
        port,
        user,
        url: (name) => `ssh://${user}@127.0.0.1:${port}${join(options.root, `${name}.git`)}`,
        clientKey,
        hostKey,
        knownHostsFile,
        dir,
        logs: () => log.join(''),
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            const exited = new Promise((resolve) => child.once('exit', resolve));
            child.kill('SIGTERM');
            await exited;
          }
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (e: unknown) {
      lastError = e; // port taken between probe and bind: try another
    }
  }
  await rm(dir, { recursive: true, force: true });
  throw lastError;
}
