import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectProvider } from './detect-provider.ts';
import { forgejoProvider, giteaProvider } from './gitea.ts';

const KEY = Buffer.from('gitea-secret');
const SHA = '4c4d6a3f8a9b2c1d0e5f6a7b8c9d0e1f2a3b4c5d';
const push = {
  ref: 'refs/tags/v3.0.0',
  before: '0'.repeat(40),
  after: SHA,
  repository: { full_name: 'ops/proveit' },
};

function request(family: 'gitea' | 'forgejo', event: string, payload: unknown, key = KEY) {
  const body = JSON.stringify(payload);
  const hex = createHmac('sha256', key).update(body).digest('hex');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    // Gitea and Forgejo also send GitHub-compatible headers.
    'x-github-event': event,
    'x-hub-signature-256': `sha256=${hex}`,
    'x-gitea-event': event,
    'x-gitea-signature': hex,
    'x-gitea-delivery': 'a1b2',
  };
  if (family === 'forgejo') {
    Object.assign(headers, {
      'x-forgejo-event': event,
      'x-forgejo-signature': hex,
      'x-forgejo-delivery': 'f1',
    });
  }
  return { headers, body: Buffer.from(body) };
}

describe('gitea and forgejo providers', () => {
  it('are detected before GitHub although they send GitHub headers', () => {
    expect(detectProvider(request('gitea', 'push', push).headers).name).toBe('gitea');
    expect(detectProvider(request('forgejo', 'push', push).headers).name).toBe('forgejo');
  });

  it('authenticate the unprefixed hex X-Gitea-Signature / X-Forgejo-Signature', () => {
    expect(giteaProvider.authenticate(request('gitea', 'push', push), KEY)).toBe(true);
    expect(forgejoProvider.authenticate(request('forgejo', 'push', push), KEY)).toBe(true);
    expect(giteaProvider.authenticate(request('gitea', 'push', push, Buffer.from('other')), KEY)).toBe(false);
    expect(forgejoProvider.authenticate(request('forgejo', 'push', push, Buffer.from('other')), KEY)).toBe(
      false,
    );
  });

  it('parse push, create and release like GitHub; a push with after = zeros is a deletion', () => {
    expect(giteaProvider.parse(request('gitea', 'push', push))).toEqual({
      kind: 'event',
      ref: 'refs/tags/v3.0.0',
      refSource: 'tag',
      commit: SHA,
    });
    expect(
      forgejoProvider.parse(request('forgejo', 'create', { ref: 'v3.0.1', ref_type: 'tag', sha: SHA })),
    ).toMatchObject({
      ref: 'refs/tags/v3.0.1',
    });
    expect(giteaProvider.parse(request('gitea', 'push', { ...push, after: '0'.repeat(40) }))).toEqual({
      kind: 'ignored',
      reason: 'ref deleted',
    });
    expect(giteaProvider.parse(request('gitea', 'delete', { ref: 'v1', ref_type: 'tag' }))).toMatchObject({
      kind: 'ignored',
    });
  });

  it('delivery IDs from X-Gitea-Delivery / X-Forgejo-Delivery', () => {
    expect(giteaProvider.deliveryId(request('gitea', 'push', push).headers)).toBe('a1b2');
    expect(forgejoProvider.deliveryId(request('forgejo', 'push', push).headers)).toBe('f1');
  });
});
