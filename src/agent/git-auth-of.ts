import type { PublishedGitAuth } from '../api/index.ts';
import type { GitAuth } from '../git/index.ts';
import { secretFile } from './secret-file.ts';

/**
 * The git layer's auth for the published auth: secrets become files under the secrets dir (never values).
 * SSH without a known-hosts Secret runs with host-key checking off, exactly as `ignition-sync run` does for
 * an `sshKey` without `knownHostsSecretRef`: the git layer then returns `INSECURE_HOST_KEY_WARNING` with every
 * result, which the agent logs (the controller reports it as the HostKeyVerificationDisabled condition).
 */
export function gitAuthOf(auth: PublishedGitAuth, secretsDir: string): GitAuth {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'token':
      return {
        kind: 'token',
        tokenFile: secretFile(secretsDir, auth.secretRef),
        ...(auth.username === undefined ? {} : { username: auth.username }),
      };
    case 'ssh':
      return auth.knownHostsSecretRef === undefined
        ? { kind: 'ssh', privateKeyFile: secretFile(secretsDir, auth.secretRef), insecureIgnoreHostKey: true }
        : {
            kind: 'ssh',
            privateKeyFile: secretFile(secretsDir, auth.secretRef),
            knownHostsFile: secretFile(secretsDir, auth.knownHostsSecretRef),
          };
  }
}
