import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayReasons, scanAndAwait, waitUntilReady } from '../../../src/ignition/index.ts';
import { captureLogger } from '../../harness/capture-logger.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type SimFixture, startSimFixture } from './simulator-fixture.ts';

let f: SimFixture;
beforeAll(async () => {
  f = await startSimFixture({
    name: 'line-3',
    tokens: [
      'sync-agent:c3luYy1zZWNyZXQtdmFsdWU:write',
      'viewer:dmlld2VyLXNlY3JldA:read',
      { name: 'secure-key', secret: 'c2VjdXJlLW9ubHk', secureChannelRequired: true },
    ],
  });
});
afterAll(async () => {
  await f.close();
});

const requestsTo = async (path: string) => (await f.control.requests()).filter((r) => r.path === path);

describe('gateway client against the simulator', () => {
  it('reads readiness, gwinfo and gateway-info', async () => {
    const c = f.client();
    expect(await c.statusPing()).toEqual({ state: 'RUNNING' });
    expect((await c.gwinfo()).ContextStatus).toBe('RUNNING');
    const info = await c.gatewayInfo();
    expect(info.name).toBe('line-3');
    expect(info.ignitionVersion).toMatch(/^8\.3\./);
  });

  it('401: an unknown token fails once, without retry, and says what to fix', async () => {
    await f.control.clearRequests();
    const c = f.client({ tokenFile: await f.tokenFile('sync-agent:wrong-secret') });
    const err = await rejectionOf(c.gatewayInfo());
    expect(err.reason).toBe(GatewayReasons.GatewayUnauthorized);
    expect(err.kind).toBe('stalling');
    expect(err.message).toContain("full 'name:secret'");
    expect(await requestsTo('/data/api/v1/gateway-info')).toHaveLength(1);
  });

  it('401: Bearer and a bare secret are rejected with the Jetty HTML page', async () => {
    const res = await fetch(`${f.sim.url}/data/api/v1/gateway-info`, {
      headers: { authorization: 'Bearer sync-agent:c3luYy1zZWNyZXQtdmFsdWU' },
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('text/html;charset=iso-8859-1');
    expect(await res.text()).toContain('<title>Error 401</title>');
    const bare = await fetch(`${f.sim.url}/data/api/v1/gateway-info`, {
      headers: { 'x-ignition-api-token': 'c3luYy1zZWNyZXQtdmFsdWU' },
    });
    expect(bare.status).toBe(401);
  });

  it('403: a read-only token is told it lacks the write permission', async () => {
    await f.control.clearRequests();
    const err = await rejectionOf(f.client({ tokenFile: f.readerTokenFile }).startScan('projects'));
    expect(err.reason).toBe(GatewayReasons.GatewayForbidden);
    expect(err.message).toContain('write permission');
    expect(await requestsTo('/data/api/v1/scan/projects')).toHaveLength(1);
  });

  it('403: a secure-channel key over plain http is told to use https', async () => {
    const file = await f.tokenFile('secure-key:c2VjdXJlLW9ubHk');
    const err = await rejectionOf(f.client({ tokenFile: file }).getScanStatus('config'));
    expect(err.reason).toBe(GatewayReasons.GatewaySecureChannelRequired);
    expect(err.message).toContain('https://');
  });

  it('302 → /welcome is "not commissioned", and the redirect is not followed', async () => {
    await f.control.setLifecycle('commissioning');
    await f.control.clearRequests();
    try {
      const err = await rejectionOf(f.client().gatewayInfo());
      expect(err.reason).toBe(GatewayReasons.GatewayNotCommissioned);
      expect(err.kind).toBe('waiting');
      expect(await requestsTo('/welcome')).toHaveLength(0);
      expect(await f.client().statusPing()).toEqual({ state: 'RUNNING', details: 'COMMISSIONING' });
      expect((await f.client().gwinfo()).ContextStatus).toBe('NEEDS_COMMISSIONING');
    } finally {
      await f.control.setLifecycle('running');
    }
  });

  it('503 during a restart: retried with backoff until the gateway is back', async () => {
    await f.control.restart({ startingMs: 1_500 });
    expect(await f.client().statusPing()).toEqual({ state: 'STARTING' });
    const short = await rejectionOf(
      f.client({ backoff: { attempts: 1, baseMs: 1, maxMs: 1 } }).gatewayInfo(),
    );
    expect(short.reason).toBe(GatewayReasons.GatewayStarting);
    // random 0.99: the 19 retries wait ~3.5 s in total, longer than the restart window.
    const patient = f.client({ backoff: { attempts: 20, baseMs: 50, maxMs: 200 }, random: () => 0.99 });
    expect((await patient.gatewayInfo()).name).toBe('line-3');
    const got503 = (await requestsTo('/data/api/v1/gateway-info')).filter((r) => r.status === 503);
    expect(got503.length).toBeGreaterThan(1);
  });

  it('waitUntilReady waits through STARTING', async () => {
    await f.control.restart({ startingMs: 1_000 });
    const { logger, text } = captureLogger();
    const ready = await waitUntilReady(f.client(), { pollIntervalMs: 50, timeoutMs: 10_000, logger });
    expect(text()).toContain('"state":"starting"');
    expect(text()).toContain('"state":"ready"');
    expect(ready.observedCommissioning).toBe(false);
    expect(await f.client().statusPing()).toEqual({ state: 'RUNNING' });
  });

  it('5xx faults are retried; the third attempt succeeds', async () => {
    await f.control.addFault({
      path: '/data/api/v1/gateway-info',
      times: 2,
      action: { type: 'status', status: 502 },
    });
    await f.control.clearRequests();
    await f.client().gatewayInfo();
    expect((await requestsTo('/data/api/v1/gateway-info')).map((r) => r.status)).toEqual([502, 502, 200]);
  });

  it('added latency below the timeout is waited out', async () => {
    await f.control.addFault({ path: '/StatusPing', times: 1, action: { type: 'latency', ms: 300 } });
    await f.control.clearRequests();
    const started = Date.now();
    expect(await f.client().statusPing()).toEqual({ state: 'RUNNING' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    // Waited out, not timed out and retried: the gateway saw exactly one request.
    expect((await requestsTo('/StatusPing')).map((r) => r.status)).toEqual([200]);
  });

  it('a hung request ends in GatewayTimeout', async () => {
    await f.control.addFault({ path: '/data/api/v1/designers', times: 2, action: { type: 'hang' } });
    const err = await rejectionOf(
      f.client({ timeoutMs: 200, backoff: { attempts: 2, baseMs: 1, maxMs: 1 } }).listDesigners(),
    );
    expect(err.reason).toBe(GatewayReasons.GatewayTimeout);
  });

  it('a connection reset is retried', async () => {
    await f.control.addFault({
      path: '/data/api/v1/scan/config',
      method: 'GET',
      times: 1,
      action: { type: 'reset' },
    });
    const status = await f.client().getScanStatus('config');
    expect(status.scanActive).toBe(false);
  });

  it('connection refused (listener stopped) is GatewayUnreachable after bounded retries', async () => {
    await f.control.setListening(false);
    try {
      const started = Date.now();
      const err = await rejectionOf(f.client().statusPing());
      expect(err.reason).toBe(GatewayReasons.GatewayUnreachable);
      expect(err.message).toContain('ECONNREFUSED');
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await f.control.setListening(true);
    }
    expect(await f.client().statusPing()).toEqual({ state: 'RUNNING' });
  });

  it('an abort cancels waiting between retries', async () => {
    await f.control.setListening(false);
    try {
      const ac = new AbortController();
      const c = f.client({ backoff: { attempts: 10, baseMs: 5_000, maxMs: 5_000 }, random: () => 0.99 });
      const p = rejectionOf(c.statusPing({ signal: ac.signal }));
      setTimeout(() => ac.abort(), 100);
      const started = Date.now();
      const err = await p;
      expect(err.reason).toBe(GatewayReasons.SyncCancelled);
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await f.control.setListening(true);
    }
  });

  it('slow scans are awaited; a stuck scan ends in ScanTimeout', async () => {
    await f.control.setScanBehaviour({ durationMs: 300 });
    const out = await scanAndAwait(f.client(), 'config', { pollIntervalMs: 20 });
    expect(out.waitedMs).toBeGreaterThanOrEqual(280);
    expect(out.scanTimestamp).toBeGreaterThanOrEqual(out.requestedAt);
    await f.control.setScanBehaviour({ durationMs: 30, stuck: true });
    try {
      const err = await rejectionOf(
        scanAndAwait(f.client(), 'projects', { pollIntervalMs: 20, timeoutMs: 400 }),
      );
      expect(err.reason).toBe(GatewayReasons.ScanTimeout);
      expect(err.message).toContain('scanActive=true');
    } finally {
      await f.control.setScanBehaviour({ stuck: false });
    }
  });

  it('408 when another actor holds the lock, 409 when asking twice', async () => {
    await f.control.holdLock('config', 'someone-else', 60);
    const timeout = await rejectionOf(f.client().acquireScanLock('config', { acquireTimeoutS: 0.2 }));
    expect(timeout.reason).toBe(GatewayReasons.ScanLockTimeout);
    await f.control.releaseLock('config');
    const lock = await f.client().acquireScanLock('config', { holdTimeoutS: 30 });
    expect(lock?.actor).toBe('sync-agent');
    expect((await f.client().getScanLock('config'))?.actor).toBe('sync-agent');
    const held = await rejectionOf(f.client().acquireScanLock('config'));
    expect(held.reason).toBe(GatewayReasons.ScanLockHeld);
    await f.client().startScan('config');
    expect(await f.client().getScanLock('config')).toBeNull();
  });

  it('never logs the token, even across retries and failures', async () => {
    const { logger, text } = captureLogger();
    await f.control.addFault({
      path: '/data/api/v1/gateway-info',
      times: 2,
      action: { type: 'status', status: 503 },
    });
    await f.client({ logger }).gatewayInfo();
    await rejectionOf(f.client({ logger, tokenFile: f.readerTokenFile }).startScan('config'));
    expect(text()).toContain('gateway request retry');
    expect(text()).not.toContain('c3luYy1zZWNyZXQtdmFsdWU');
    expect(text()).not.toContain('dmlld2VyLXNlY3JldA');
  });
});
