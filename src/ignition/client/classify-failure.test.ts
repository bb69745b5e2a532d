import { describe, expect, it } from 'vitest';
import { GatewayReasons } from '../../reasons/index.ts';
import { classifyHttpFailure, classifyTransportError } from './classify-failure.ts';

const f = { method: 'POST', path: '/data/api/v1/scan/projects', isPlainHttp: true };

describe('classifyHttpFailure', () => {
  const cases: [string, Parameters<typeof classifyHttpFailure>[0], string, boolean][] = [
    ['401 → GatewayUnauthorized, no retry', { ...f, status: 401 }, GatewayReasons.GatewayUnauthorized, false],
    [
      '403 over https → GatewayForbidden',
      { ...f, status: 403, isPlainHttp: false },
      GatewayReasons.GatewayForbidden,
      false,
    ],
    [
      '403 over http, read allowed → GatewayForbidden',
      { ...f, status: 403, readProbeRefused: false },
      GatewayReasons.GatewayForbidden,
      false,
    ],
    [
      '403 over http, read refused → GatewaySecureChannelRequired',
      { ...f, status: 403, readProbeRefused: true },
      GatewayReasons.GatewaySecureChannelRequired,
      false,
    ],
    [
      '302 /welcome → GatewayNotCommissioned',
      { ...f, status: 302, location: '/welcome' },
      GatewayReasons.GatewayNotCommissioned,
      false,
    ],
    [
      '302 elsewhere → GatewayProtocolError',
      { ...f, status: 302, location: '/login' },
      GatewayReasons.GatewayProtocolError,
      false,
    ],
    ['503 → GatewayStarting, retried', { ...f, status: 503 }, GatewayReasons.GatewayStarting, true],
    ['502 → GatewayUnreachable, retried', { ...f, status: 502 }, GatewayReasons.GatewayUnreachable, true],
    ['404 → GatewayProtocolError', { ...f, status: 404 }, GatewayReasons.GatewayProtocolError, false],
  ];
  for (const [name, input, reason, retryable] of cases) {
    it(name, () => {
      const c = classifyHttpFailure(input);
      expect(c.error.reason).toBe(reason);
      expect(c.retryable).toBe(retryable);
    });
  }
});

describe('classifyTransportError', () => {
  it('connection refused is retryable GatewayUnreachable', () => {
    const e = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const c = classifyTransportError(e, 'GET /StatusPing', false);
    expect([c.error.reason, c.retryable]).toEqual([GatewayReasons.GatewayUnreachable, true]);
  });
  it('an untrusted certificate is a stalling GatewayTlsFailed', () => {
    const e = Object.assign(new Error('self-signed'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' });
    const c = classifyTransportError(e, 'GET /StatusPing', false);
    expect([c.error.reason, c.error.kind, c.retryable]).toEqual([
      GatewayReasons.GatewayTlsFailed,
      'stalling',
      false,
    ]);
  });
  it('a timeout is GatewayTimeout', () => {
    expect(classifyTransportError(new Error('aborted'), 'GET /x', true).error.reason).toBe(
      GatewayReasons.GatewayTimeout,
    );
  });
});
