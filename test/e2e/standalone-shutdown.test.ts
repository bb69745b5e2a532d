import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GitClient } from '../../src/git/index.ts';
import {
  type GatewaySimulator,
  SimulatorControlClient,
  startGatewaySimulator,
} from '../../src/ignition/simulator/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { type GatewayProgress, loadRunConfig, StandaloneRunner } from '../../src/standalone/index.ts';
import { readAppliedState } from '../../src/sync/index.ts';
import { waitFor } from '../harness/wait-for.ts';
import { type ProveitEnvironment, startProveitEnvironment } from './proveit-environment.ts';

let env: ProveitEnvironment;
let sim: GatewaySimulator;

beforeEach(async () => {
  env = await startProveitEnvironment();
});

afterEach(async () => {
  await sim?.close();
  await env.close();
});

async function startRunner(scanDurationMs: number, shutdownGraceMs: number) {
  sim = await startGatewaySimulator({
    dataDir: env.dataDir('site'),
    name: 'site',
    tokens: ['ignition-sync:e2e-api-secret'],
    scanDurationMs,
  });
  await env.writeConfig([{ name: 'site', profile: 'proveit-site', url: sim.url }]);
  const loaded = await loadRunConfig([env.configDir], env.root);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const progress: GatewayProgress[] = [];
  let onSyncing: () => void = () => {};
  const syncing = new Promise<void>((resolve) => {
    onSyncing = resolve;
  });
  const runner = new StandaloneRunner({
    config: loaded.config,
    git: new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' }),
    secretsDir: env.secretsDir,
    stateDir: env.stateDir,
    logger: createSilentLogger(),
    shutdownGraceMs,
    onProgress: (p) => {
      progress.push(p);
      if (p.state === 'Syncing') onSyncing();
    },
  });
  const address = await runner.listen({ host: '127.0.0.1', port: 0 });
  const stop = new AbortController();
  const running = runner.run(stop.signal);
  return {
    progress,
    syncing,
    stop,
    running,
    webhookUrl: `http://127.0.0.1:${address.port}/webhook/site1/proveit-sync`,
  };
}

describe('standalone shutdown (SIGINT/SIGTERM)', () => {
  it('a stop during a sync finishes that cycle (files, manifest, scan) before run() resolves', async () => {
    const { progress, syncing, stop, running, webhookUrl } = await startRunner(800, 30_000);
    await syncing;
    stop.abort();
    await running;
    const final = progress.at(-1);
    expect(final).toMatchObject({
      gateway: 'site',
      state: 'Synced',
      report: { status: 'Synced', scans: ['config', 'projects'] },
    });
    expect(await readAppliedState(env.dataDir('site'))).toEqual({ commit: await env.repo.revParse('2.0.0') });
    const scans = await new SimulatorControlClient(sim.controlUrl).scans();
    const apiScans = scans.filter((s) => s.trigger === 'api');
    expect(apiScans.map((s) => s.kind).sort()).toEqual(['config', 'projects']);
    expect(apiScans.every((s) => s.finishedAt !== undefined && !s.torn)).toBe(true);
    // The receiver no longer accepts deliveries.
    await expect(fetch(webhookUrl, { method: 'POST', body: '{}' })).rejects.toThrow();
  });

  it('a cycle stuck waiting on the gateway is abandoned after the grace period, with the files fully applied', async () => {
    const { progress, syncing, stop, running } = await startRunner(60_000, 300);
    await syncing;
    // Wait until the engine recorded the applied commit (the write is done; the scan wait is what remains).
    const commit = await env.repo.revParse('2.0.0');
    // No event marks "written, now scanning": poll with a deadline.
    await waitFor(
      'the engine to record the applied commit',
      async () => (await readAppliedState(env.dataDir('site')))?.commit === commit,
      { intervalMs: 25 },
    );
    const stoppedAt = Date.now();
    stop.abort();
    await running;
    expect(Date.now() - stoppedAt).toBeLessThan(10_000);
    expect(progress.at(-1)).toMatchObject({ gateway: 'site', state: 'Failed' });
    expect(await readAppliedState(env.dataDir('site'))).toEqual({ commit });
  });
});
