import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type ChangeSummary,
  GatewayReasons,
  runSyncCycle,
  type SyncCycleOptions,
} from '../../../src/ignition/index.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { resourceJson, type SimFixture, useSimFixture } from './simulator-fixture.ts';

const fixture = useSimFixture({ scanDurationMs: 60 });

const PROJECT_FILES = {
  'projects/Line3/project.json': '{"title":"Line 3","enabled":true}\n',
  'projects/Line3/com.inductiveautomation.perspective/views/Main/resource.json': resourceJson(['view.json']),
  'projects/Line3/com.inductiveautomation.perspective/views/Main/view.json':
    '{"root":{"type":"ia.container.flex"}}\n',
};
const CONFIG_FILES = {
  'config/resources/core/ignition/database-connection/mes/resource.json': resourceJson(['config.json']),
  'config/resources/core/ignition/database-connection/mes/config.json': '{"driver":"postgres"}\n',
};

/** Writes like the engine does: temp file in the same dir, then rename; a few ms apart so writes take time. */
function engineApply(
  fx: SimFixture,
  files: Readonly<Record<string, string>>,
  calls: { at: number }[] = [],
): SyncCycleOptions<ChangeSummary>['apply'] {
  return async () => {
    calls.push({ at: Date.now() });
    for (const [rel, content] of Object.entries(files)) {
      const abs = join(fx.dataDir, rel);
      await mkdir(dirname(abs), { recursive: true });
      const tmp = join(dirname(abs), `.${basename(abs)}.ignsync-tmp`); // the engine's temp naming
      await writeFile(tmp, content);
      await rename(tmp, abs);
      await new Promise((r) => setTimeout(r, 5));
    }
    const paths = Object.keys(files);
    return {
      projectsChanged: paths.some((p) => p.startsWith('projects/')),
      configChanged: paths.some((p) => p.startsWith('config/')),
    };
  };
}

const cycle = (fx: SimFixture, o: Partial<SyncCycleOptions<ChangeSummary>> = {}) =>
  runSyncCycle<ChangeSummary>({
    gateway: fx.client(),
    designerSessionPolicy: 'proceed',
    pollIntervalMs: 20,
    apply: engineApply(fx, { ...CONFIG_FILES, ...PROJECT_FILES }),
    ...o,
  });

describe('sync cycle against the simulator', () => {
  it('locks before the first write, scans config then projects, awaits completion, no torn scan', async () => {
    const fx = await fixture({ scanDurationMs: 250 });
    const result = await cycle(fx);
    const done = Date.now();
    expect(result.lockMode).toBe('locked');
    expect(result.locked).toEqual(['config', 'projects']);

    const scans = await fx.control.scans();
    const apiScans = scans.filter((s) => s.trigger === 'api');
    const writes = apiScans.flatMap((s) => s.writes).filter((w) => !w.byGateway);
    expect(writes.map((w) => w.path).sort()).toEqual(
      Object.keys({ ...CONFIG_FILES, ...PROJECT_FILES }).sort(),
    );
    for (const w of writes) expect(w.lockedKinds).toEqual(['config', 'projects']);
    expect(apiScans.map((s) => s.kind)).toEqual(['config', 'projects']);
    const [config, projects] = apiScans;
    expect(config?.finishedAt).toBeLessThanOrEqual(projects?.startedAt ?? 0);
    for (const s of apiScans) {
      expect(s.torn).toBe(false);
      expect(s.unlockedWrites).toEqual([]);
      expect(s.finishedAt).toBeLessThanOrEqual(done);
    }
    expect(config?.diff?.added).toContain('core/ignition/database-connection/mes');
    expect(projects?.diff?.added).toContain('Line3/com.inductiveautomation.perspective/views/Main');
    expect(Object.keys(projects?.filesAtStart ?? {})).toContain('projects/Line3/project.json');
    expect(result.scans.config?.scanTimestamp).toBeGreaterThanOrEqual(
      result.scans.config?.requestedAt ?? Infinity,
    );
    expect(result.durationMs).toBeGreaterThanOrEqual(500);
    const state = await fx.control.state();
    expect(state.locks).toEqual({ config: null, projects: null });
    const loaded = await fetch(`${fx.sim.url}/data/api/v1/projects/names`, {
      headers: { 'x-ignition-api-token': 'sync-agent:c3luYy1zZWNyZXQtdmFsdWU' },
    });
    expect(((await loaded.json()) as { items: string[] }).items).toEqual(['Line3']);
  });

  it('the simulator flags a scan that started while a write was in progress (negative control)', async () => {
    const fx = await fixture({ scanDurationMs: 300 });
    await fx.client().startScan('projects');
    await engineApply(fx, PROJECT_FILES)(
      new AbortController().signal,
      { afterCommissioning: false },
      undefined,
    );
    await expect
      .poll(async () => (await fx.control.scans())[0]?.finishedAt, { timeout: 5_000 })
      .toBeDefined();
    const [scan] = await fx.control.scans();
    expect(scan?.torn).toBe(true);
    expect(scan?.changedDuringScan.added).toContain('projects/Line3/project.json');
  });

  it('the simulator flags writes made before the lock was taken (negative control)', async () => {
    const fx = await fixture();
    await engineApply(fx, PROJECT_FILES)(
      new AbortController().signal,
      { afterCommissioning: false },
      undefined,
    );
    await new Promise((r) => setTimeout(r, 50));
    await fx.client().acquireScanLock('projects');
    await fx.client().startScan('projects');
    await expect
      .poll(async () => (await fx.control.scans())[0]?.finishedAt, { timeout: 5_000 })
      .toBeDefined();
    const [scan] = await fx.control.scans();
    expect(scan?.unlockedWrites).toContain('projects/Line3/project.json');
    expect(scan?.torn).toBe(false);
  });

  it('with a plan that reports no change: no lock and no scan call', async () => {
    const fx = await fixture();
    await fx.control.clearRequests();
    const applyCalls: { at: number }[] = [];
    const result = await cycle(fx, {
      plan: async () => ({ projectsChanged: false, configChanged: false }),
      apply: engineApply(fx, {}, applyCalls),
    });
    expect(applyCalls).toHaveLength(1);
    expect(result.lockMode).toBe('skipped');
    expect(result.scans).toEqual({});
    const paths = (await fx.control.requests()).map((r) => `${r.method} ${r.path}`);
    expect(paths.filter((p) => p.includes('/scan'))).toEqual([]);
    expect(await fx.control.scans()).toEqual([]);
  });

  it('with a plan: only the changed kind is locked and scanned', async () => {
    const fx = await fixture();
    const result = await cycle(fx, {
      plan: async () => ({ projectsChanged: true, configChanged: false }),
      apply: engineApply(fx, PROJECT_FILES),
    });
    expect(result.locked).toEqual(['projects']);
    expect(Object.keys(result.scans)).toEqual(['projects']);
    expect((await fx.control.scans()).map((s) => s.kind)).toEqual(['projects']);
  });

  it('without a plan and no change: both locks are released, nothing is awaited', async () => {
    const fx = await fixture();
    const result = await cycle(fx, { apply: engineApply(fx, {}) });
    expect(result.released).toEqual(['config', 'projects']);
    expect(result.scans).toEqual({});
    expect((await fx.control.state()).locks).toEqual({ config: null, projects: null });
  });

  it('a gateway without the scan-lock route still syncs (lockMode unsupported)', async () => {
    const fx = await fixture({ scanLockSupported: false });
    const result = await cycle(fx);
    expect(result.lockMode).toBe('unsupported');
    expect(Object.keys(result.scans)).toEqual(['config', 'projects']);
    const scans = await fx.control.scans();
    expect(scans.find((s) => s.kind === 'projects')?.unlockedWrites).toContain('projects/Line3/project.json');
  });

  it('without scan locks, the write waits for a scan that is already running', async () => {
    const fx = await fixture({ scanLockSupported: false, scanDurationMs: 400 });
    await fx.control.triggerScan('projects');
    const calls: { at: number }[] = [];
    await cycle(fx, { apply: engineApply(fx, PROJECT_FILES, calls) });
    const [periodic] = await fx.control.scans();
    expect(periodic?.trigger).toBe('periodic');
    expect(calls[0]?.at).toBeGreaterThanOrEqual(periodic?.finishedAt ?? Infinity);
    expect((await fx.control.scans()).every((s) => !s.torn)).toBe(true);
  });

  it('a failed apply leaves the locks held; the retry adopts them and scans', async () => {
    const fx = await fixture();
    const err = await rejectionOf(
      cycle(fx, {
        apply: async () => {
          throw new Error('disk full');
        },
      }),
    );
    expect(err.reason).toBe(GatewayReasons.ApplyFailed);
    expect((await fx.control.state()).locks.config?.actor).toBe('sync-agent');
    expect(await fx.control.scans()).toEqual([]);
    const result = await cycle(fx);
    expect(result.lockMode).toBe('locked');
    expect(Object.keys(result.scans)).toEqual(['config', 'projects']);
  });

  it('initial sync writes without any gateway call', async () => {
    const fx = await fixture();
    await fx.control.clearRequests();
    const result = await cycle(fx, { initial: true });
    expect(result.mode).toBe('initial');
    expect(await fx.control.requests()).toEqual([]);
    expect(await readFile(join(fx.dataDir, 'projects/Line3/project.json'), 'utf8')).toContain('Line 3');
  });

  it('waits through commissioning and tells apply it runs after commissioning', async () => {
    const fx = await fixture({ lifecycle: 'commissioning' });
    const contexts: boolean[] = [];
    const base = engineApply(fx, PROJECT_FILES);
    const running = cycle(fx, {
      apply: async (signal, ctx) => {
        contexts.push(ctx.afterCommissioning);
        return base(signal, ctx, undefined);
      },
    });
    // The cycle has polled the commissioning gateway more than once, and has not applied anything yet.
    await expect
      .poll(async () => (await fx.control.requests()).filter((r) => r.path.includes('StatusPing')).length, {
        timeout: 5_000,
      })
      .toBeGreaterThanOrEqual(2);
    expect(contexts).toEqual([]);
    await fx.control.completeCommissioning();
    const result = await running;
    expect(result.observedCommissioning).toBe(true);
    expect(contexts).toEqual([true]);
    expect(Object.keys(result.scans)).toEqual(['projects']);
  });

  it('a commissioning gateway fails the cycle as waiting; the caller flags the next cycle as the re-sync', async () => {
    const fx = await fixture({ lifecycle: 'commissioning' });
    const err = await rejectionOf(cycle(fx, { readinessTimeoutMs: 150 }));
    expect(err.reason).toBe(GatewayReasons.GatewayNotCommissioned);
    expect(err.kind).toBe('waiting');
    await fx.control.completeCommissioning();
    const contexts: boolean[] = [];
    const base = engineApply(fx, PROJECT_FILES);
    const result = await cycle(fx, {
      afterCommissioning: err.reason === GatewayReasons.GatewayNotCommissioned,
      apply: async (signal, ctx) => {
        contexts.push(ctx.afterCommissioning);
        return base(signal, ctx, undefined);
      },
    });
    expect(contexts).toEqual([true]);
    expect(result.observedCommissioning).toBe(true);
  });
});

describe('designer session policies', () => {
  it('proceed: syncs with a session open and reports it', async () => {
    const fx = await fixture();
    await fx.control.addDesigner({ user: 'alice', project: 'Line3' });
    const result = await cycle(fx);
    expect(result.designerSessions.map((d) => d.user)).toEqual(['alice']);
    expect(Object.keys(result.scans)).toEqual(['config', 'projects']);
  });

  it('wait: writes only after the session closed', async () => {
    const fx = await fixture();
    const started = Date.now();
    await fx.control.addDesigner({ user: 'bob', project: 'Line3', closeAfterMs: 300 });
    const calls: { at: number }[] = [];
    const result = await cycle(fx, {
      designerSessionPolicy: 'wait',
      apply: engineApply(fx, PROJECT_FILES, calls),
    });
    expect(calls[0]?.at).toBeGreaterThanOrEqual(started + 300);
    expect(result.designerSessions).toEqual([]);
  });

  it('wait: gives up at the deadline with a waiting error and writes nothing', async () => {
    const fx = await fixture();
    await fx.control.addDesigner({ user: 'bob', project: 'Line3' });
    await fx.control.clearRequests();
    const calls: { at: number }[] = [];
    const err = await rejectionOf(
      cycle(fx, {
        designerSessionPolicy: 'wait',
        designerWaitTimeoutMs: 200,
        apply: engineApply(fx, PROJECT_FILES, calls),
      }),
    );
    expect(err.reason).toBe(GatewayReasons.DesignerSessionActive);
    expect(err.kind).toBe('waiting');
    expect(err.message).toContain('bob on Line3');
    expect(calls).toEqual([]);
    expect((await fx.control.requests()).filter((r) => r.path.includes('scan'))).toEqual([]);
  });

  it('fail: a session appearing before the sync stops it without writing', async () => {
    const fx = await fixture();
    await fx.control.addDesigner({ user: 'carol', project: 'Line3', appearAfterMs: 50 });
    await expect.poll(async () => (await fx.control.state()).designers.length, { timeout: 5_000 }).toBe(1);
    const calls: { at: number }[] = [];
    const err = await rejectionOf(
      cycle(fx, { designerSessionPolicy: 'fail', apply: engineApply(fx, PROJECT_FILES, calls) }),
    );
    expect(err.reason).toBe(GatewayReasons.DesignerSessionActive);
    expect(err.kind).toBe('stalling');
    expect(calls).toEqual([]);
    expect((await fx.control.pendingWrites()).filter((w) => !w.byGateway)).toEqual([]);
  });
});

describe('gateway-owned files', () => {
  it('a sync leaves them untouched while the gateway writes its own', async () => {
    const fx = await fixture();
    await fx.control.gatewayWrite({ type: 'touch-project-resources' });
    await fx.control.gatewayWrite({ type: 'regenerate-local' });
    const edit = await fx.control.gatewayWrite({ type: 'ui-edit', resource: 'ignition/system-properties' });
    await cycle(fx);
    const report = await fx.control.tripwires();
    expect(report.ok).toBe(true);
    expect(report.watched).toBeGreaterThan(3);
    for (const [rel, content] of Object.entries(edit.files)) {
      expect(await readFile(join(fx.dataDir, rel), 'utf8')).toBe(content);
    }
  });

  it('the tripwire reports a sync that writes into projects/.resources (negative control)', async () => {
    const fx = await fixture();
    await cycle(fx, {
      apply: engineApply(fx, { ...PROJECT_FILES, 'projects/.resources/cache.digest': 'clobbered\n' }),
    });
    const report = await fx.control.tripwires();
    expect(report.ok).toBe(false);
    expect(report.modified).toEqual(['projects/.resources/cache.digest']);
  });
});
