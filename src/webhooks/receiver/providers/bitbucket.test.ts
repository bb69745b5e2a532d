import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bitbucketProvider } from './bitbucket.ts';

const KEY = Buffer.from('bb-secret');
const SHA = '1e65c05c1d5171631d92438a13901ca7dae9618c';

function request(eventKey: string, payload: unknown, key = KEY) {
  const body = JSON.stringify(payload);
  return {
    headers: {
      'content-type': 'application/json',
      'x-event-key': eventKey,
      'x-request-uuid': 'e5d8b6a2-1111-4e5e-9a3e-5f7f0d3c1a2b',
      'x-hub-signature': `sha256=${createHmac('sha256', key).update(body).digest('hex')}`,
    },
    body: Buffer.from(body),
  };
}

const cloudPush = {
  actor: { display_name: 'Alice' },
  repository: { full_name: 'ops/proveit' },
  push: {
    changes: [
      {
        new: { type: 'branch', name: 'main', target: { hash: SHA } },
        old: null,
        created: false,
        closed: false,
      },
      {
        new: { type: 'tag', name: 'v2.0.0', target: { hash: SHA } },
        old: null,
        created: true,
        closed: false,
      },
    ],
  },
};

const serverRefsChanged = {
  eventKey: 'repo:refs_changed',
  changes: [
    {
      ref: { id: 'refs/heads/main', displayId: 'main', type: 'BRANCH' },
      fromHash: SHA,
      toHash: SHA,
      type: 'UPDATE',
    },
  ],
};

describe('bitbucket provider', () => {
  it('authenticates X-Hub-Signature: sha256=<hmac> and rejects another key', () => {
    expect(bitbucketProvider.authenticate(request('repo:push', cloudPush), KEY)).toBe(true);
    expect(bitbucketProvider.authenticate(request('repo:push', cloudPush, Buffer.from('nope')), KEY)).toBe(
      false,
    );
  });

  it('Cloud repo:push prefers the tag change over the branch change', () => {
    expect(bitbucketProvider.parse(request('repo:push', cloudPush))).toEqual({
      kind: 'event',
      ref: 'refs/tags/v2.0.0',
      refSource: 'tag',
      commit: SHA,
    });
  });

  it('Cloud push whose only change deletes a ref → ignored', () => {
    const deleted = { push: { changes: [{ new: null, old: { type: 'tag', name: 'v1' }, closed: true }] } };
    expect(bitbucketProvider.parse(request('repo:push', deleted))).toEqual({
      kind: 'ignored',
      reason: 'ref deleted',
    });
  });

  it('Server repo:refs_changed → the changed branch; DELETE changes skipped; ping ignored', () => {
    expect(bitbucketProvider.parse(request('repo:refs_changed', serverRefsChanged))).toEqual({
      kind: 'event',
      ref: 'refs/heads/main',
      refSource: 'branch',
      commit: SHA,
    });
    const deleted = { changes: [{ ...serverRefsChanged.changes[0], type: 'DELETE' }] };
    expect(bitbucketProvider.parse(request('repo:refs_changed', deleted))).toMatchObject({ kind: 'ignored' });
    expect(bitbucketProvider.parse(request('diagnostics:ping', { test: true }))).toEqual({
      kind: 'ignored',
      reason: 'ping',
    });
  });

  it('a push body without push.changes → malformed', () => {
    expect(bitbucketProvider.parse(request('repo:push', { push: {} }))).toMatchObject({ kind: 'malformed' });
  });
});
