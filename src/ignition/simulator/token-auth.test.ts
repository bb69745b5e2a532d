import { describe, expect, it } from 'vitest';
import { authorize, computeTokenHash, parseTokenSpec, type SimToken } from './token-auth.ts';

const base = { authorization: undefined, isSecure: false, needsWrite: false, commissioningReset: false };

describe('computeTokenHash', () => {
  it('is unpadded base64url(sha256(base64url-decode(secret)))', () => {
    // Secret bytes "hello" → base64url "aGVsbG8"; sha256("hello") in base64url:
    expect(computeTokenHash('aGVsbG8')).toBe('LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ');
  });
  it('reproduces a real gateway sample (the public quickstart key of ia-eknorr/test-ignition-project)', () => {
    // config/resources/core/ignition/api-token/ignition-api-key/config.json → settings.tokenHash
    expect(computeTokenHash('CYCSdRgW6MHYkeIXhH-BMqo1oaqfTdFi8tXvHJeCKmY')).toBe(
      'hBdc6751HoqEcvCWt97KM4cqRQrJ4XwrL7J9J_Fdv7A',
    );
  });
});

describe('authorize', () => {
  const writer = parseTokenSpec('agent:c2VjcmV0:write');
  const reader = parseTokenSpec('viewer:cmVhZA:read');
  const secure: SimToken = { ...parseTokenSpec('secure:c2Vj'), secureChannelRequired: true };
  const file: SimToken = {
    name: 'ci',
    hash: computeTokenHash('aGVsbG8'),
    hashRule: 'tokenHash',
    grant: 'write',
    secureChannelRequired: false,
    source: 'external',
  };
  const tokens = [writer, reader, secure, file];
  const cases: [string, Parameters<typeof authorize>[1], number | 'ok'][] = [
    ['no token → 401', { ...base, tokenHeader: undefined }, 401],
    ['bearer only → 401', { ...base, tokenHeader: undefined, authorization: 'Bearer agent:c2VjcmV0' }, 401],
    ['secret without name → 401', { ...base, tokenHeader: 'c2VjcmV0' }, 401],
    ['wrong name prefix → 401', { ...base, tokenHeader: 'other:c2VjcmV0' }, 401],
    ['wrong secret → 401', { ...base, tokenHeader: 'agent:nope' }, 401],
    ['writer reads → ok', { ...base, tokenHeader: 'agent:c2VjcmV0' }, 'ok'],
    ['reader writes → 403', { ...base, tokenHeader: 'viewer:cmVhZA', needsWrite: true }, 403],
    ['secure key over http → 403', { ...base, tokenHeader: 'secure:c2Vj' }, 403],
    ['secure key over https → ok', { ...base, tokenHeader: 'secure:c2Vj', isSecure: true }, 'ok'],
    ['file token by tokenHash → ok', { ...base, tokenHeader: 'ci:aGVsbG8', needsWrite: true }, 'ok'],
    [
      'after commissioning reset → 403',
      { ...base, tokenHeader: 'agent:c2VjcmV0', commissioningReset: true },
      403,
    ],
  ];
  for (const [name, req, expected] of cases) {
    it(name, () => {
      const d = authorize(tokens, req);
      expect(d.ok ? 'ok' : d.status).toBe(expected);
    });
  }

  it('parses token specs and rejects malformed ones', () => {
    expect(parseTokenSpec('a:b:c').grant).toBe('write');
    expect(parseTokenSpec('a:b:read').grant).toBe('read');
    expect(() => parseTokenSpec('nocolon')).toThrow();
    expect(() => parseTokenSpec('a::read')).toThrow();
  });
});
