import { describe, expect, it } from 'vitest';
import { gitlabProvider } from './gitlab.ts';

const TOKEN = Buffer.from('gl-webhook-token');
const SHA = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';

function request(event: string, payload: unknown, token = 'gl-webhook-token') {
  return {
    headers: {
      'x-gitlab-event': event,
      'x-gitlab-token': token,
      'x-gitlab-event-uuid': '13792a34-cac6-4fda-95a8-c58e00a3954e',
      'content-type': 'application/json',
    },
    body: Buffer.from(JSON.stringify(payload)),
  };
}

const tagPush = {
  object_kind: 'tag_push',
  event_name: 'tag_push',
  before: '0000000000000000000000000000000000000000',
  after: SHA,
  ref: 'refs/tags/v1.0.0',
  checkout_sha: SHA,
  project: { path_with_namespace: 'site/proveit' },
  commits: [],
};

describe('gitlab provider', () => {
  it('authenticates X-Gitlab-Token compared whole, and rejects a different or missing token', () => {
    expect(gitlabProvider.authenticate(request('Tag Push Hook', tagPush), TOKEN)).toBe(true);
    expect(gitlabProvider.authenticate(request('Tag Push Hook', tagPush, 'gl-webhook-toke'), TOKEN)).toBe(
      false,
    );
    expect(gitlabProvider.authenticate(request('Tag Push Hook', tagPush, 'gl-webhook-token2'), TOKEN)).toBe(
      false,
    );
    const { 'x-gitlab-token': _, ...headers } = request('Tag Push Hook', tagPush).headers;
    expect(gitlabProvider.authenticate({ headers, body: Buffer.from('{}') }, TOKEN)).toBe(false);
  });

  it('tag_push → accepted tag with checkout_sha; push → accepted branch', () => {
    expect(gitlabProvider.parse(request('Tag Push Hook', tagPush))).toEqual({
      kind: 'event',
      ref: 'refs/tags/v1.0.0',
      refSource: 'tag',
      commit: SHA,
    });
    const push = { ...tagPush, object_kind: 'push', ref: 'refs/heads/main' };
    expect(gitlabProvider.parse(request('Push Hook', push))).toMatchObject({
      ref: 'refs/heads/main',
      refSource: 'branch',
    });
  });

  it('a deleted tag (after = zeros, checkout_sha null) → ignored', () => {
    const deleted = { ...tagPush, after: '0000000000000000000000000000000000000000', checkout_sha: null };
    expect(gitlabProvider.parse(request('Tag Push Hook', deleted))).toEqual({
      kind: 'ignored',
      reason: 'ref deleted',
    });
  });

  it('release create → accepted tag; merge requests → ignored', () => {
    expect(
      gitlabProvider.parse(
        request('Release Hook', { object_kind: 'release', action: 'create', tag: 'v1.1.0' }),
      ),
    ).toEqual({
      kind: 'event',
      ref: 'refs/tags/v1.1.0',
      refSource: 'tag',
    });
    expect(
      gitlabProvider.parse(request('Merge Request Hook', { object_kind: 'merge_request' })),
    ).toMatchObject({
      kind: 'ignored',
      reason: 'event merge_request does not trigger a sync',
    });
  });

  it('delivery ID from X-Gitlab-Event-UUID', () => {
    expect(gitlabProvider.deliveryId(request('Push Hook', tagPush).headers)).toBe(
      '13792a34-cac6-4fda-95a8-c58e00a3954e',
    );
  });
});
