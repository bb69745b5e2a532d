import { describe, expect, it } from 'vitest';
import { parseRepoUrl } from './repo-url.ts';

describe('parseRepoUrl', () => {
  it.each([
    ['git@github.com:inductive-automation/conf-proveit26-app.git', 'ssh'],
    ['ssh://git@git-internal.local:2222/org/repo.git', 'ssh'],
    ['https://github.com/myorg/my-ignition-app.git', 'http'],
    ['http://127.0.0.1:8080/r.git', 'http'],
    ['file:///mnt/git-mirror/conf-proveit26-app.git', 'file'],
    ['/mnt/git-mirror/repo.git', 'file'],
  ])('accepts %s as %s', (url, transport) => {
    expect(parseRepoUrl(url)).toEqual({ url, transport });
  });

  it.each([
    ['-uhack', /start with "-"/],
    ['ext::sh -c touch% /tmp/pwned', /remote helper/],
    ['fd::17', /remote helper/],
    ['https://user:secret-token@github.com/o/r.git', /inline credentials/],
    ['https://secret-token@github.com/o/r.git', /inline credentials/],
    ['ftp://host/r.git', /unsupported scheme/],
    ['relative/path', /not a url/],
    ['https://h/r\n.git', /control characters/],
  ])('refuses %j', (url, why) => {
    let message = '';
    try {
      parseRepoUrl(url);
    } catch (e: unknown) {
      message = e instanceof Error ? e.message : '';
      expect(e).toMatchObject({ reason: 'GitRepoUrlInvalid', kind: 'stalling' });
    }
    expect(message).toMatch(why);
    expect(message).not.toContain('secret-token');
  });
});
