import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { detectProvider } from './detect-provider.ts';
import { genericProvider } from './generic.ts';

const KEY = Buffer.from('shared-webhook-key');

function request(body: string, headers: Record<string, string> = {}) {
  return { headers: { 'content-type': 'application/json', ...headers }, body: Buffer.from(body) };
}

describe('generic {"ref"} provider (Argo CD notifications, Kargo http step, scripts)', () => {
  it('is what a request without any git-host event header gets', () => {
    expect(detectProvider({ authorization: 'Bearer x', 'content-type': 'application/json' }).name).toBe(
      'generic',
    );
  });

  it('authenticates Authorization: Bearer <key> (Argo CD and Kargo cannot sign)', () => {
    const argo = request('{"ref": "2.0.0"}', { authorization: 'Bearer shared-webhook-key' });
    expect(genericProvider.authenticate(argo, KEY)).toBe(true);
    expect(
      genericProvider.authenticate(
        request('{"ref":"2.0.0"}', { authorization: 'Bearer shared-webhook-ke' }),
        KEY,
      ),
    ).toBe(false);
    expect(
      genericProvider.authenticate(request('{"ref":"2.0.0"}', { authorization: 'Basic c2hhcmVk' }), KEY),
    ).toBe(false);
    expect(genericProvider.authenticate(request('{"ref":"2.0.0"}'), KEY)).toBe(false);
  });

  it('authenticates X-Signature-256: sha256=<hmac>, and a signature wins over a bearer header', () => {
    const body = '{"ref":"main"}';
    const signature = `sha256=${createHmac('sha256', KEY).update(body).digest('hex')}`;
    expect(genericProvider.authenticate(request(body, { 'x-signature-256': signature }), KEY)).toBe(true);
    const badSignatureGoodBearer = request(body, {
      'x-signature-256': 'sha256=00',
      authorization: 'Bearer shared-webhook-key',
    });
    expect(genericProvider.authenticate(badSignatureGoodBearer, KEY)).toBe(false);
  });

  it.each([
    ['X-Hub-Signature-256 (GitHub-style clients)', 'x-hub-signature-256'],
    ["X-Signature (Flux notification-controller's generic-hmac)", 'x-signature'],
  ])('authenticates %s: sha256=<hex HMAC of the raw body>', (_, header) => {
    const body = '{"ref":"2.0.1"}';
    const hex = createHmac('sha256', KEY).update(body).digest('hex');
    expect(genericProvider.authenticate(request(body, { [header]: `sha256=${hex}` }), KEY)).toBe(true);
    expect(
      genericProvider.authenticate(request(body, { [header]: `sha256=${hex.toUpperCase()}` }), KEY),
    ).toBe(true);
    expect(genericProvider.authenticate(request(`${body}\n`, { [header]: `sha256=${hex}` }), KEY)).toBe(
      false,
    );
    expect(genericProvider.authenticate(request(body, { [header]: hex }), KEY)).toBe(false);
    const withBearer = request(body, { [header]: 'sha256=00', authorization: 'Bearer shared-webhook-key' });
    expect(genericProvider.authenticate(withBearer, KEY)).toBe(false);
  });

  it('the Argo CD template body (with extra fields) → explicit ref', () => {
    const argoBody = '{"ref": "2.0.0", "app": "site1-proveit", "revision": "abc"}';
    expect(genericProvider.parse(request(argoBody))).toEqual({
      kind: 'event',
      ref: '2.0.0',
      refSource: 'explicit',
    });
  });

  it('the Kargo http step body → explicit ref', () => {
    expect(genericProvider.parse(request('{"ref": "v1.4.2"}', {}))).toEqual({
      kind: 'event',
      ref: 'v1.4.2',
      refSource: 'explicit',
    });
  });

  it('an empty ref (Argo CD with a missing annotation), a non-string ref and a non-object body → malformed', () => {
    expect(genericProvider.parse(request('{"ref": ""}'))).toEqual({
      kind: 'malformed',
      message: 'ref is empty',
    });
    expect(genericProvider.parse(request('{"ref": 42}'))).toMatchObject({ kind: 'malformed' });
    expect(genericProvider.parse(request('["main"]'))).toMatchObject({ kind: 'malformed' });
  });

  it('delivery ID from Idempotency-Key, X-Delivery-Id or X-Request-Id', () => {
    expect(genericProvider.deliveryId({ 'idempotency-key': 'k1', 'x-request-id': 'r1' })).toBe('k1');
    expect(genericProvider.deliveryId({ 'x-request-id': 'r1' })).toBe('r1');
    expect(genericProvider.deliveryId({})).toBeUndefined();
  });
});
