import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatewayReasons } from '../../../src/ignition/index.ts';
import { generateTestCertificates } from '../../../src/ignition/simulator/index.ts';
import { captureLogger } from '../../harness/capture-logger.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type SimFixture, startSimFixture } from './simulator-fixture.ts';

let f: SimFixture;
let caFile: string;
let wrongCaFile: string;
beforeAll(async () => {
  f = await startSimFixture({
    tls: true,
    tokens: [
      'sync-agent:c3luYy1zZWNyZXQtdmFsdWU:write',
      { name: 'secure-key', secret: 'c2VjdXJlLW9ubHk', secureChannelRequired: true },
    ],
  });
  caFile = join(f.root, 'ca.pem');
  await writeFile(caFile, f.sim.caCertPem ?? '');
  wrongCaFile = join(f.root, 'wrong-ca.pem');
  await writeFile(wrongCaFile, (await generateTestCertificates('some other CA')).caCertPem);
});
afterAll(async () => {
  await f.close();
});

describe('gateway client over TLS', () => {
  it('trusts the gateway through the given CA file', async () => {
    expect(f.sim.url).toMatch(/^https:\/\/localhost:\d+$/);
    const c = f.client({ caFile });
    expect(await c.statusPing()).toEqual({ state: 'RUNNING' });
    expect((await c.gatewayInfo()).name).toBe('ignition-sim');
  });

  it('a secure-channel key works over https', async () => {
    const c = f.client({ caFile, tokenFile: await f.tokenFile('secure-key:c2VjdXJlLW9ubHk') });
    expect((await c.getScanStatus('config')).scanActive).toBe(false);
  });

  it('a wrong CA fails the handshake, without retry, and says what to fix', async () => {
    await f.control.clearRequests();
    const started = Date.now();
    const err = await rejectionOf(
      f
        .client({
          caFile: wrongCaFile,
          backoff: { attempts: 5, baseMs: 5_000, maxMs: 5_000 },
          random: () => 0.99,
        })
        .statusPing(),
    );
    expect(err.reason).toBe(GatewayReasons.GatewayTlsFailed);
    expect(err.kind).toBe('stalling');
    expect(err.message).toContain('caFile');
    expect(Date.now() - started).toBeLessThan(3_000); // a retry would have waited ≥ 4.95 s
    expect(await f.control.requests()).toHaveLength(0);
  });

  it('without a CA the self-signed chain is rejected; the explicit insecure switch accepts it and warns', async () => {
    expect((await rejectionOf(f.client().statusPing())).reason).toBe(GatewayReasons.GatewayTlsFailed);
    const { logger, text } = captureLogger();
    expect(await f.client({ insecureSkipVerify: true, logger }).statusPing()).toEqual({ state: 'RUNNING' });
    expect(text()).toContain('gateway tls verification disabled');
  });

  it('a missing CA file is a configuration error', async () => {
    const err = await rejectionOf(f.client({ caFile: join(f.root, 'nope.pem') }).statusPing());
    expect(err.reason).toBe(GatewayReasons.GatewayConfigInvalid);
  });
});
