// The per-gateway sync against a simulated gateway: one plan per sync, locks and scans only for what that
// plan changes, and failures that keep their reason and kind.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GatewaySyncRequest,
  type GatewayTarget,
  SYNC_ENGINE,
  type SyncEngine,
  syncGateway,
} from '../../../src/gateway-sync/index.ts';
import { GitClient } from '../../../src/git/index.ts';
import { createSilentLogger } from '../../../src/observability/index.ts';
import { createFixtureRepo, type FixtureRepo } from '../../harness/git-servers/index.ts';
import { resourceJson, type SimFixture, useSimFixture } from '../ignition/simulator-fixture.ts';

const fixture = useSimFixture({ scanDurationMs: 30 });
const FILES = {
  'projects/Line3/project.json': '{"title":"Line 3","enabled":true}\n',
  'projects/Line3/com.inductiveautomation.perspective/views/Main/resource.json': resourceJson(['view.json']),
  'projects/Line3/com.inductiveautomation.perspective/views/Main/view.json': '{"root":{}}\n',
  'config/resources/core/ignition/database-connection/mes/resource.json': resourceJson(['config.json']),
  'config/resources/core/ignition/database-connection/mes/config.json': '{"driver":"postgres"}\n',
};

let root: string;
let repo: FixtureRepo;
let git: GitClient;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'igs-gateway-sync-'));
  repo = await createFixtureRepo(join(root, 'server'), 'site');
  git = new GitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' });
});

afterAll(async () => {
  await git?.close();
  await rm(root, { recursive: true, force: true });
});

/** The real engine, counting how often it plans and applies. */
function countingEngine(): SyncEngine & { plans: number; applies: number } {
  const engine = {
    plans: 0,
    applies: 0,
    prepare: (input: Parameters<SyncEngine['prepare']>[0]) => {
      engine.plans += 1;
      return SYNC_ENGINE.prepare(input);
    },
    apply: (prepared: Parameters<SyncEngine['apply']>[0]) => {
      engine.applies += 1;
      return SYNC_ENGINE.apply(prepared);
    },
  };
  return engine;
}

function targetOf(fx: SimFixture, dataDir = fx.dataDir): GatewayTarget {
  return {
    name: 'line3',
    dataDir,
    profile: {
      mappings: [
        { source: 'projects', destination: 'projects' },
        { source: 'config', destination: 'config' },
      ],
    },
    excludePatterns: [],
    designerSessionPolicy: 'proceed',
    api: { url: fx.sim.url, tokenFile: fx.writerTokenFile },
  };
}

async function sync(
  fx: SimFixture,
  commit: string,
  overrides: Partial<GatewaySyncRequest> = {},
): Promise<Awaited<ReturnType<typeof syncGateway>>> {
  const checkoutDir = join(root, `checkout-${commit.slice(0, 8)}`);
  await git.fetchCommit({ repo: repo.fileUrl, commit, auth: { kind: 'none' }, dir: checkoutDir });
  return syncGateway({
    target: targetOf(fx),
    commit,
    checkoutDir,
    changes: (from, to) =>
      git.diff({ dir: checkoutDir, from, to, repo: repo.fileUrl, auth: { kind: 'none' } }),
    verify: false,
    dryRun: false,
    logger: createSilentLogger(),
    signal: new AbortController().signal,
    timeouts: { pollIntervalMs: 20 },
    ...overrides,
  });
}

const lockRequests = async (fx: SimFixture) =>
  (await fx.control.requests())
    .filter((r) => r.path.includes('scan-lock') && r.method === 'POST')
    .map((r) => r.path);

describe('syncGateway against a simulated gateway', () => {
  it('plans once per sync, and locks and scans only the kinds that plan changes', async () => {
    const fx = await fixture();
    const engine = countingEngine();
    const c1 = await repo.commit(FILES);
    const first = await sync(fx, c1, { engine });
    expect(first).toMatchObject({
      status: 'Synced',
      scans: ['config', 'projects'],
      previousCommit: null,
      error: null,
    });
    expect({ plans: engine.plans, applies: engine.applies }).toEqual({ plans: 1, applies: 1 });
    expect(await readFile(join(fx.dataDir, 'projects/Line3/project.json'), 'utf8')).toContain('Line 3');

    const c2 = await repo.commit({ 'projects/Line3/project.json': '{"title":"Line 3 v2","enabled":true}\n' });
    await fx.control.clearRequests();
    const second = await sync(fx, c2, { engine });
    expect(second).toMatchObject({
      status: 'Synced',
      scans: ['projects'],
      previousCommit: c1,
      verified: false,
    });
    expect(second.result?.modified).toEqual(['projects/Line3/project.json']);
    expect({ plans: engine.plans, applies: engine.applies }).toEqual({ plans: 2, applies: 2 });
    const locks = await lockRequests(fx);
    expect(locks.length).toBeGreaterThan(0);
    expect(locks.every((path) => path.includes('projects'))).toBe(true);

    await fx.control.clearRequests();
    const again = await sync(fx, c2, { engine });
    expect(again).toMatchObject({ status: 'Synced', scans: [] });
    expect({ plans: engine.plans, applies: engine.applies }).toEqual({ plans: 3, applies: 3 });
    expect(await lockRequests(fx)).toEqual([]);
  });

  it('a missing data dir fails as DataDirMissing (stalling) and creates nothing', async () => {
    const fx = await fixture();
    const commit = await repo.commit({ 'projects/Line3/project.json': '{"title":"x"}\n' });
    const missing = join(root, 'no-such-gateway', 'data');
    const outcome = await sync(fx, commit, { target: targetOf(fx, missing) });
    expect(outcome).toMatchObject({
      status: 'Failed',
      result: null,
      error: { reason: 'DataDirMissing', kind: 'stalling' },
    });
    await expect(readFile(join(missing, 'projects/Line3/project.json'))).rejects.toThrow(/ENOENT/);
  });

  it('a commissioning gateway fails as waiting; the next sync is the full post-commissioning re-sync', async () => {
    const fx = await fixture({ lifecycle: 'commissioning' });
    const commit = await repo.commit({ 'projects/Line3/project.json': '{"title":"after commissioning"}\n' });
    const waiting = await sync(fx, commit, { timeouts: { pollIntervalMs: 20, readinessTimeoutMs: 150 } });
    expect(waiting).toMatchObject({
      status: 'Failed',
      awaitingCommissioning: true,
      error: { reason: 'GatewayNotCommissioned', kind: 'waiting' },
    });
    await fx.control.completeCommissioning();
    const resync = await sync(fx, commit, { afterCommissioning: waiting.awaitingCommissioning });
    expect(resync).toMatchObject({
      status: 'Synced',
      afterCommissioning: true,
      verified: true,
      awaitingCommissioning: false,
    });
  });
});
