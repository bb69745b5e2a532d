import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GatewayReasons } from '../../../src/ignition/index.ts';
import { computeTokenHash } from '../../../src/ignition/simulator/index.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { resourceJson, type SimFixture, useSimFixture, WRITER_TOKEN } from './simulator-fixture.ts';

const fixture = useSimFixture();
const api = (fx: SimFixture, path: string, init: RequestInit = {}) =>
  fetch(`${fx.sim.url}/data/api/v1/${path}`, {
    ...init,
    headers: {
      'x-ignition-api-token': WRITER_TOKEN,
      ...(init.headers as Record<string, string> | undefined),
    },
  });

describe('gateway simulator', () => {
  it('loads API keys from external/core api-token resources with the tokenHash rule', async () => {
    const fx = await fixture();
    const secret = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';
    await fx.write({
      'config/resources/external/ignition/api-token/ci-key/resource.json': resourceJson(['config.json']),
      'config/resources/external/ignition/api-token/ci-key/config.json': JSON.stringify({
        profile: { type: 'basic-token', secureChannelRequired: false, securityLevels: [] },
        settings: { tokenHash: computeTokenHash(secret) },
      }),
    });
    const c = fx.client({ tokenFile: await fx.tokenFile(`ci-key:${secret}`) });
    expect((await rejectionOf(c.gatewayInfo())).reason).toBe(GatewayReasons.GatewayUnauthorized);
    await fx.client().startScan('config');
    await expect.poll(async () => (await fx.control.state()).tokens.map((t) => t.name)).toContain('ci-key');
    expect((await c.gatewayInfo()).name).toBe('ignition-sim');
  });

  it('snapshots resources, projects and modes, and serves them from the last scan', async () => {
    const fx = await fixture({ deploymentMode: 'prod' });
    await fx.write({
      'config/resources/prod/config-mode.json': '{"title":"Production","description":"prod","parent":"core"}',
      'config/resources/prod/ignition/database-connection/mes/resource.json': resourceJson(['config.json']),
      'config/resources/prod/ignition/database-connection/mes/config.json': '{"url":"prod"}',
      'config/resources/core/ignition/database-connection/mes/resource.json': resourceJson(['config.json']),
      'config/resources/core/ignition/database-connection/mes/config.json': '{"url": broken',
      'projects/Good/project.json': '{"title":"Good"}',
      'projects/NoJson/com.inductiveautomation.perspective/views/A/resource.json': resourceJson([]),
    });
    const c = fx.client();
    await fx.client().startScan('config');
    await fx.client().startScan('projects');
    await expect
      .poll(async () => (await fx.control.scans()).filter((s) => s.finishedAt !== undefined).length)
      .toBe(2);
    const scans = await fx.control.scans();
    const config = scans.find((s) => s.kind === 'config');
    expect(config?.errors?.map((e) => e.path)).toContain(
      'config/resources/core/ignition/database-connection/mes/config.json',
    );
    expect(scans.find((s) => s.kind === 'projects')?.errors?.map((e) => e.path)).toEqual(['projects/NoJson']);
    expect(((await (await api(fx, 'projects/names')).json()) as { items: string[] }).items).toEqual(['Good']);
    const modes = (await (await api(fx, 'mode')).json()) as {
      items: { name: string; resourceCount: number }[];
    };
    expect(modes.items).toEqual([
      { name: 'prod', title: 'Production', description: 'prod', resourceCount: 1 },
    ]);
    expect((await c.gatewayInfo()).deploymentMode).toBe('prod');
    const found = await api(fx, 'resources/find/ignition/database-connection/mes?collection=prod');
    expect(await found.json()).toMatchObject({
      name: 'mes',
      collection: 'prod',
      files: ['config.json', 'resource.json'],
    });
    const singleton = await api(fx, 'resources/singleton/ignition/system-properties');
    expect(singleton.status).toBe(200);
  });

  it('answers unknown routes with 404 JSON, bad lock bodies with 400, restart without confirm with 400', async () => {
    const fx = await fixture();
    const unknown = await api(fx, 'no/such/route');
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ message: 'No route match for path: /data/api/v1/no/such/route' });
    const bad = await api(fx, 'scan-lock/config', { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    const restart = await api(fx, 'restart-tasks/restart', { method: 'POST' });
    expect(restart.status).toBe(400);
    expect(await (await api(fx, 'restart-tasks/pending')).json()).toEqual({ pending: [] });
    expect((await api(fx, 'scan-lock/projects')).status).toBe(204);
  });

  it('a lock expires after its hold timeout and blocks periodic project scans while held', async () => {
    const fx = await fixture({ projectScanFrequencyS: 0.1 });
    const lock = (await fx.control.holdLock('projects', 'other', 0.4)) as { timestamp: number };
    await expect.poll(async () => (await fx.control.state()).locks.projects, { timeout: 3_000 }).toBeNull();
    // Periodic scans are due every 100 ms; none started in the 400 ms the lock was held.
    const duringLock = (await fx.control.scans()).filter(
      (s) => s.trigger === 'periodic' && s.startedAt >= lock.timestamp && s.startedAt < lock.timestamp + 400,
    );
    expect(duringLock).toEqual([]);
    await expect
      .poll(async () => (await fx.control.scans()).filter((s) => s.trigger === 'periodic').length, {
        timeout: 3_000,
      })
      .toBeGreaterThan(0);
    expect((await fx.control.scans()).every((s) => s.kind === 'projects')).toBe(true);
  });

  it('a scan POST during a running scan joins it', async () => {
    const fx = await fixture({ scanDurationMs: 1_000 });
    const first = await fx.client().startScan('config');
    const second = await fx.client().startScan('config');
    expect(first.scanActive && second.scanActive).toBe(true);
    await expect
      .poll(async () => (await fx.client().getScanStatus('config')).scanActive, { timeout: 10_000 })
      .toBe(false);
    expect(await fx.control.scans()).toHaveLength(1);
  });

  it('probabilistic faults follow the injected random source', async () => {
    const draws = [0.9, 0.1, 0.9];
    const fx = await fixture({ random: () => draws.shift() ?? 0.9 });
    await fx.control.addFault({ path: '*', probability: 0.5, action: { type: 'status', status: 500 } });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await fetch(`${fx.sim.url}/StatusPing`)).status);
    expect(statuses).toEqual([200, 500, 200]);
  });

  it('restart then commissioning reset: valid tokens get 403 until cleared', async () => {
    const fx = await fixture();
    await fx.control.restart({ startingMs: 100, thenCommissioning: true });
    await expect.poll(async () => (await fx.control.state()).lifecycle).toBe('commissioning');
    await fx.control.completeCommissioning({ reset: true });
    const err = await rejectionOf(fx.client().gatewayInfo());
    expect(err.reason).toBe(GatewayReasons.GatewaySecureChannelRequired);
    expect(err.message).toContain('commissioning can reset');
    expect((await fx.control.tripwires()).ok).toBe(true);
    await fx.control.clearCommissioningReset();
    expect((await fx.client().gatewayInfo()).name).toBe('ignition-sim');
  });

  it('seeds an empty data dir with gateway-owned files and arms tripwires on them', async () => {
    const fx = await fixture();
    const report = await fx.control.tripwires();
    expect(report.ok).toBe(true);
    expect(report.watched).toBeGreaterThanOrEqual(5);
    await mkdir(join(fx.dataDir, 'config/local/ignition'), { recursive: true });
    await writeFile(join(fx.dataDir, 'config/local/ignition/.ignition-license-key'), 'stolen\n');
    await writeFile(join(fx.dataDir, 'db/new.idb'), 'x');
    const after = await fx.control.tripwires();
    expect(after.modified).toEqual(['config/local/ignition/.ignition-license-key']);
    expect(after.added).toEqual(['db/new.idb']);
  });

  it('designers are listed, fetched and deleted through the API', async () => {
    const fx = await fixture();
    const { id } = await fx.control.addDesigner({ user: 'dana', project: 'Line3' });
    const list = (await fx.client().listDesigners()).map((d) => d.user);
    expect(list).toEqual(['dana']);
    expect((await api(fx, `designer/${id}`)).status).toBe(200);
    expect((await api(fx, `designer/${id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(fx, `designer/${id}`)).status).toBe(404);
  });
});
