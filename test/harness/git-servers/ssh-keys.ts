import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export interface SshKeyPair {
  readonly privateKeyFile: string;
  readonly publicKeyFile: string;
  /** `ssh-ed25519 AAAA... comment` */
  readonly publicKey: string;
}

/** Generates an unencrypted ed25519 key pair with ssh-keygen at `path` / `path.pub`. */
export async function generateSshKeyPair(path: string, comment = 'ignition-sync-test'): Promise<SshKeyPair> {
  await execFileAsync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', path]);
  const publicKey = (await readFile(`${path}.pub`, 'utf8')).trim();
  return { privateKeyFile: path, publicKeyFile: `${path}.pub`, publicKey };
}

/** A known_hosts line for `[host]:port`, as ssh writes it for non-default ports. */
export function knownHostsLine(host: string, port: number, publicKey: string): string {
  const [type, key] = publicKey.split(/\s+/);
  return `[${host}]:${port} ${type ?? ''} ${key ?? ''}\n`;
}
