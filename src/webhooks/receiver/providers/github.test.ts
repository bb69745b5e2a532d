import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { githubProvider } from './github.ts';

const KEY = Buffer.from('It5-a-s3cret');
const SHA = 'f2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5';

function sign(body: string, key: Buffer = KEY): string {
  return `sha256=${createHmac('sha256', key).update(body).digest('hex')}`;
}

function request(event: string, payload: unknown, options: { form?: boolean; signature?: string } = {}) {
  const json = JSON.stringify(payload);
  const body = options.form === true ? `payload=${encodeURIComponent(json)}` : json;
  return {
    headers: {
      'x-github-event': event,
      'x-github-delivery': '72d3162e-cc78-11e3-81ab-4c9367dc0958',
      'content-type': options.form === true ? 'application/x-www-form-urlencoded' : 'application/json',
      'x-hub-signature-256': options.signature ?? sign(body),
    },
    body: Buffer.from(body),
  };
}

// Trimmed from GitHub's documented push payload; the fields the receiver reads are kept as GitHub sends them.
const tagPush = {
  ref: 'refs/tags/2.0.0',
  before: '0000000000000000000000000000000000000000',
  after: SHA,
  created: true,
  deleted: false,
  forced: false,
  base_ref: 'refs/heads/main',
  repository: { full_name: 'inductive-automation/conf-proveit26-app' },
  pusher: { name: 'alice' },
  commits: [],
};

describe('github provider', () => {
  it('authenticates an X-Hub-Signature-256 HMAC of the raw body', () => {
    expect(githubProvider.authenticate(request('push', tagPush), KEY)).toBe(true);
  });

  it('rejects a signature made with another key, a missing one, and the legacy SHA-1 header alone', () => {
    const forged = request('push', tagPush, {
      signature: sign(JSON.stringify(tagPush), Buffer.from('guess')),
    });
    expect(githubProvider.authenticate(forged, KEY)).toBe(false);
    const unsigned = request('push', tagPush);
    const { 'x-hub-signature-256': _, ...headers } = unsigned.headers;
    expect(githubProvider.authenticate({ headers, body: unsigned.body }, KEY)).toBe(false);
    expect(
      githubProvider.authenticate(
        { headers: { ...headers, 'x-hub-signature': 'sha1=00' }, body: unsigned.body },
        KEY,
      ),
    ).toBe(false);
  });

  it('rejects a body changed after signing', () => {
    const signed = request('push', tagPush);
    const tampered = { ...signed, body: Buffer.from(signed.body.toString().replace('2.0.0', '6.6.6')) };
    expect(githubProvider.authenticate(tampered, KEY)).toBe(false);
  });

  it('tag push → accepted tag with the pushed commit', () => {
    expect(githubProvider.parse(request('push', tagPush))).toEqual({
      kind: 'event',
      ref: 'refs/tags/2.0.0',
      refSource: 'tag',
      commit: SHA,
    });
  });

  it('branch push → accepted branch', () => {
    expect(githubProvider.parse(request('push', { ...tagPush, ref: 'refs/heads/main' }))).toMatchObject({
      kind: 'event',
      ref: 'refs/heads/main',
      refSource: 'branch',
    });
  });

  it('form-encoded payload= delivery is signed over the raw form body and parses the same', () => {
    const form = request('push', tagPush, { form: true });
    expect(githubProvider.authenticate(form, KEY)).toBe(true);
    expect(githubProvider.parse(form)).toMatchObject({ kind: 'event', ref: 'refs/tags/2.0.0' });
  });

  it('deleted ref → ignored with a reason', () => {
    const deleted = { ...tagPush, deleted: true, after: '0000000000000000000000000000000000000000' };
    expect(githubProvider.parse(request('push', deleted))).toEqual({
      kind: 'ignored',
      reason: 'ref deleted',
    });
  });

  it('tag create → accepted as refs/tags/<name>; branch create → ignored', () => {
    expect(
      githubProvider.parse(request('create', { ref: '2.0.1', ref_type: 'tag', master_branch: 'main' })),
    ).toEqual({
      kind: 'event',
      ref: 'refs/tags/2.0.1',
      refSource: 'tag',
    });
    expect(githubProvider.parse(request('create', { ref: 'feature/x', ref_type: 'branch' }))).toMatchObject({
      kind: 'ignored',
    });
  });

  it('release published → accepted tag; other release actions → ignored', () => {
    const release = { action: 'published', release: { tag_name: '2.1.0', draft: false, prerelease: false } };
    expect(githubProvider.parse(request('release', release))).toEqual({
      kind: 'event',
      ref: 'refs/tags/2.1.0',
      refSource: 'tag',
    });
    expect(githubProvider.parse(request('release', { ...release, action: 'created' }))).toMatchObject({
      kind: 'ignored',
      reason: 'release action created is not published',
    });
  });

  it('ping and unrelated events → ignored with a reason', () => {
    expect(githubProvider.parse(request('ping', { zen: 'Keep it logically awesome.', hook_id: 1 }))).toEqual({
      kind: 'ignored',
      reason: 'ping',
    });
    expect(githubProvider.parse(request('issues', { action: 'opened' }))).toMatchObject({ kind: 'ignored' });
  });

  it('malformed JSON or a push without ref → malformed with a message that does not echo the body', () => {
    const broken = {
      headers: { 'x-github-event': 'push', 'content-type': 'application/json' },
      body: Buffer.from('{"ref": secret-value'),
    };
    const result = githubProvider.parse(broken);
    expect(result).toEqual({ kind: 'malformed', message: 'body is not valid JSON' });
    expect(githubProvider.parse(request('push', { after: SHA }))).toMatchObject({ kind: 'malformed' });
  });

  it('reads the delivery ID from X-GitHub-Delivery', () => {
    expect(githubProvider.deliveryId(request('push', tagPush).headers)).toBe(
      '72d3162e-cc78-11e3-81ab-4c9367dc0958',
    );
  });
});
