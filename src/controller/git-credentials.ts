import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IgnitionSyncSpec } from '../api/index.ts';
import type { GitAuth } from '../git/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { readSecretKey } from './secret-reader.ts';

/** True when SSH is used without a known-hosts Secret: host keys are not verified (a condition says so). */
export function isHostKeyVerificationDisabled(git: IgnitionSyncSpec['git']): boolean {
  return git.auth?.sshKey !== undefined && git.auth.sshKey.knownHostsSecretRef === undefined;
}

/**
 * Runs `fn` with the git layer's auth for `spec.git`: the referenced Secret values are read through the API
 * and written into a private directory (0700, files 0600) that exists only for the call and is removed
 * afterwards, whatever happens. SSH without `knownHostsSecretRef` uses the git layer's explicit insecure
 * switch (it warns on every call), exactly as the standalone runner does.
 */
export async function withGitCredentials<T>(
  options: {
    readonly client: KubeClient;
    readonly namespace: string;
    readonly git: IgnitionSyncSpec['git'];
    readonly tmpDir?: string | undefined;
    readonly signal?: AbortSignal | undefined;
  },
  fn: (auth: GitAuth) => Promise<T>,
): Promise<T> {
  const auth = options.git.auth;
  if (auth?.sshKey === undefined && auth?.token === undefined) return fn({ kind: 'none' });
  const dir = await mkdtemp(join(options.tmpDir ?? tmpdir(), 'ignition-sync-cred-'));
  try {
    const write = async (file: string, ref: { name: string; key: string }): Promise<string> => {
      const value = await readSecretKey(options.client, options.namespace, ref, options.signal);
      const path = join(dir, file);
      await writeFile(path, value, { mode: 0o600 });
      return path;
    };
    if (auth.sshKey !== undefined) {
      const privateKeyFile = await write('identity', auth.sshKey.secretRef);
      const knownHosts = auth.sshKey.knownHostsSecretRef;
      return await fn(
        knownHosts === undefined
          ? { kind: 'ssh', privateKeyFile, insecureIgnoreHostKey: true }
          : { kind: 'ssh', privateKeyFile, knownHostsFile: await write('known_hosts', knownHosts) },
      );
    }
    const token = auth.token;
    if (token === undefined) return await fn({ kind: 'none' });
    const tokenFile = await write('token', token.secretRef);
    return await fn({
      kind: 'token',
      tokenFile,
      ...(token.username === undefined ? {} : { username: token.username }),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
