import type { IgnitionSyncSpec } from '../api/index.ts';
import type { GitAuth } from '../git/index.ts';
import type { SecretsDir } from './secrets-dir.ts';

/**
 * The git layer's auth for an IgnitionSync: secrets become files under the secrets dir (never values).
 * SSH without a known-hosts Secret runs with host key checking off, and the git layer returns a warning
 * for every call that the runner reports (ARCHITECTURE section 4: a warning, never a silent accept).
 */
export function gitAuthFromSpec(git: IgnitionSyncSpec['git'], secrets: SecretsDir): GitAuth {
  const auth = git.auth;
  if (auth?.sshKey !== undefined) {
    const knownHosts = auth.sshKey.knownHostsSecretRef;
    return knownHosts === undefined
      ? { kind: 'ssh', privateKeyFile: secrets.pathOf(auth.sshKey.secretRef), insecureIgnoreHostKey: true }
      : {
          kind: 'ssh',
          privateKeyFile: secrets.pathOf(auth.sshKey.secretRef),
          knownHostsFile: secrets.pathOf(knownHosts),
        };
  }
  if (auth?.token !== undefined) {
    return {
      kind: 'token',
      tokenFile: secrets.pathOf(auth.token.secretRef),
      ...(auth.token.username === undefined ? {} : { username: auth.token.username }),
    };
  }
  return { kind: 'none' };
}
