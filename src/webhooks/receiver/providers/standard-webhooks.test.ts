import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { standardWebhooksKey, verifyStandardWebhooks } from '../verify-secret.ts';
import { genericProvider } from './generic.ts';
import { gitlabProvider } from './gitlab.ts';
import { standardWebhooks } from './standard-webhooks.ts';

const RAW = randomBytes(32);
const WHSEC = `whsec_${RAW.toString('base64')}`;
const NOW = Date.UTC(2026, 11, 2, 15, 0, 0);

function sign(key: Buffer, id: string, ts: string, body: string): string {
  return `v1,${createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest('base64')}`;
}

function gitlabSigned(body: string, signature: string, ts = String(NOW / 1000)) {
  return {
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': 'Tag Push Hook',
      'webhook-id': 'msg-1',
      'webhook-timestamp': ts,
      'webhook-signature': signature,
    },
    body: Buffer.from(body),
  };
}

describe('Standard Webhooks (GitLab signing token)', () => {
  const body = '{"object_kind":"tag_push","ref":"refs/tags/2.0.1"}';
  const ts = String(NOW / 1000);

  it('a whsec_ secret is base64-decoded; any other secret is its own bytes', () => {
    expect(standardWebhooksKey(Buffer.from(WHSEC))).toEqual(RAW);
    expect(standardWebhooksKey(Buffer.from('plain-key'))).toEqual(Buffer.from('plain-key'));
  });

  it('GitLab with the signing token: v1 signature over id.timestamp.body under the decoded key', () => {
    const request = gitlabSigned(body, sign(RAW, 'msg-1', ts, body));
    expect(gitlabProvider.authenticate(request, Buffer.from(WHSEC))).toBe(true);
    // Signed under the literal whsec_ string: not GitLab's scheme.
    const literal = gitlabSigned(body, sign(Buffer.from(WHSEC), 'msg-1', ts, body));
    expect(gitlabProvider.authenticate(literal, Buffer.from(WHSEC))).toBe(false);
  });

  it('several space-separated signatures (key rotation): one match is enough; v1a entries are skipped', () => {
    const other = sign(randomBytes(32), 'msg-1', ts, body);
    const good = sign(RAW, 'msg-1', ts, body);
    expect(
      gitlabProvider.authenticate(gitlabSigned(body, `v1a,abc ${other} ${good}`), Buffer.from(WHSEC)),
    ).toBe(true);
    expect(
      gitlabProvider.authenticate(gitlabSigned(body, `${other} v2,${good.slice(3)}`), Buffer.from(WHSEC)),
    ).toBe(false);
  });

  it('a changed body, id or timestamp breaks the signature; a missing header never authenticates', () => {
    const signature = sign(RAW, 'msg-1', ts, body);
    const key = Buffer.from(WHSEC);
    expect(gitlabProvider.authenticate(gitlabSigned(`${body} `, signature), key)).toBe(false);
    expect(gitlabProvider.authenticate(gitlabSigned(body, signature, String(NOW / 1000 + 1)), key)).toBe(
      false,
    );
    const { 'webhook-id': _, ...noId } = gitlabSigned(body, signature).headers;
    expect(verifyStandardWebhooks({ key, body: Buffer.from(body), headers: undefined })).toBe(false);
    expect(gitlabProvider.authenticate({ headers: noId, body: Buffer.from(body) }, key)).toBe(false);
  });

  it('with webhook-* headers the X-Gitlab-Token is not looked at (the signature cannot be bypassed)', () => {
    const request = gitlabSigned(body, 'v1,AAAA');
    const withToken = { ...request, headers: { ...request.headers, 'x-gitlab-token': WHSEC } };
    expect(gitlabProvider.authenticate(withToken, Buffer.from(WHSEC))).toBe(false);
  });

  it('replay window: 5 minutes either way; outside it says how far and in which direction', () => {
    const at = (seconds: number) => ({
      'webhook-signature': 'v1,x',
      'webhook-timestamp': String(NOW / 1000 + seconds),
    });
    expect(gitlabProvider.freshness?.(at(-300), NOW, 300)).toBeUndefined();
    expect(gitlabProvider.freshness?.(at(300), NOW, 300)).toBeUndefined();
    expect(gitlabProvider.freshness?.(at(-301), NOW, 300)).toContain('301 s in the past');
    expect(gitlabProvider.freshness?.(at(900), NOW, 300)).toContain('900 s in the future');
    expect(standardWebhooks.freshness({ 'webhook-timestamp': '2026-12-02T15:00:00Z' }, NOW, 300)).toContain(
      'not an integer',
    );
    // The token scheme has no timestamp.
    expect(gitlabProvider.freshness?.({}, NOW, 300)).toBeUndefined();
  });

  it('generic senders may use it too; its webhook-id is the delivery ID', () => {
    const generic = {
      headers: { ...gitlabSigned('{"ref":"2.0.1"}', '').headers, 'x-gitlab-event': undefined },
    };
    const request = {
      headers: { ...generic.headers, 'webhook-signature': sign(RAW, 'msg-1', ts, '{"ref":"2.0.1"}') },
      body: Buffer.from('{"ref":"2.0.1"}'),
    };
    expect(genericProvider.authenticate(request, Buffer.from(WHSEC))).toBe(true);
    expect(genericProvider.deliveryId(request.headers)).toBe('msg-1');
  });

  it('webhook-id alone (an idempotency key beside a bearer token) does not switch the scheme', () => {
    const request = {
      headers: { 'content-type': 'application/json', 'webhook-id': 'k1', authorization: `Bearer ${WHSEC}` },
      body: Buffer.from('{"ref":"2.0.1"}'),
    };
    expect(genericProvider.authenticate(request, Buffer.from(WHSEC))).toBe(true);
    expect(genericProvider.freshness?.(request.headers, NOW, 300)).toBeUndefined();
  });
});
