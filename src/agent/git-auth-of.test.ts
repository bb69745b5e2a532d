import { describe, expect, it } from 'vitest';
import { gitAuthOf } from './git-auth-of.ts';
import { secretFile } from './secret-file.ts';

const SECRETS = '/etc/ignition-sync/secrets';

describe('gitAuthOf', () => {
  it('none stays none', () => {
    expect(gitAuthOf({ kind: 'none' }, SECRETS)).toEqual({ kind: 'none' });
  });

  it('a token becomes the file of its Secret key, with the username when given', () => {
    expect(gitAuthOf({ kind: 'token', secretRef: { name: 'git-token', key: 'token' } }, SECRETS)).toEqual({
      kind: 'token',
      tokenFile: '/etc/ignition-sync/secrets/git-token/token',
    });
    expect(
      gitAuthOf({ kind: 'token', secretRef: { name: 'gl', key: 'pat' }, username: 'oauth2' }, SECRETS),
    ).toEqual({ kind: 'token', tokenFile: '/etc/ignition-sync/secrets/gl/pat', username: 'oauth2' });
  });

  it('ssh with known hosts verifies host keys with that file', () => {
    expect(
      gitAuthOf(
        {
          kind: 'ssh',
          secretRef: { name: 'deploy-key', key: 'id_ed25519' },
          knownHostsSecretRef: { name: 'deploy-key', key: 'known_hosts' },
        },
        SECRETS,
      ),
    ).toEqual({
      kind: 'ssh',
      privateKeyFile: '/etc/ignition-sync/secrets/deploy-key/id_ed25519',
      knownHostsFile: '/etc/ignition-sync/secrets/deploy-key/known_hosts',
    });
  });

  it('ssh without known hosts turns host-key checking off explicitly (the git layer then warns on every call)', () => {
    expect(gitAuthOf({ kind: 'ssh', secretRef: { name: 'deploy-key', key: 'id_ed25519' } }, SECRETS)).toEqual(
      {
        kind: 'ssh',
        privateKeyFile: '/etc/ignition-sync/secrets/deploy-key/id_ed25519',
        insecureIgnoreHostKey: true,
      },
    );
  });
});

describe('secretFile', () => {
  it('never leaves the secrets dir', () => {
    for (const bad of ['..', '.', 'a/b', '']) {
      expect(() => secretFile(SECRETS, { name: 'x', key: bad })).toThrow(TypeError);
      expect(() => secretFile(SECRETS, { name: bad, key: 'k' })).toThrow(TypeError);
    }
    expect(secretFile(SECRETS, { name: 'gw-api', key: 'token.txt' })).toBe(`${SECRETS}/gw-api/token.txt`);
  });
});
