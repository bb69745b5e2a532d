import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_ENGINE } from '../../src/gateway-sync/index.ts';
import {
  type FetchCommitRequest,
  type FetchCommitResult,
  GitClient,
  type ResolveRefRequest,
  type ResolveRefResult,
} from '../../src/git/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { loadRunConfig, RequestedRefStore, SecretsDir, SyncWorker } from '../../src/standalone/index.ts';
import { createFixtureRepo, type FixtureRepo } from '../harness/git-servers/index.ts';
import { EXAMPLE_DIR, exampleRepoFiles } from './proveit-environment.ts';

/** The real git client, counting the calls that reach the git server. */
class CountingGitClient extends GitClient {
  resolves = 0;
  fetches = 0;
  override async resolveRef(req: ResolveRefRequest): Promise<ResolveRefResult> {
    this.resolves += 1;
    return super.resolveRef(req);
  }
  override async fetchCommit(req: FetchCommitRequest): Promise<FetchCommitResult> {
    this.fetches += 1;
    return super.fetchCommit(req);
  }
  diffs = 0;
  override async diff(req: Parameters<GitClient['diff']>[0]): ReturnType<GitClient['diff']> {
    this.diffs += 1;
    return super.diff(req);
  }
}

const AREAS = ['area1', 'area2', 'area3', 'area4'];
let root: string;
let repo: FixtureRepo;
let git: CountingGitClient;
let worker: SyncWorker;

beforeEach(async () => {
  clock = 0;
  plans = [];
  root = await mkdtemp(join(tmpdir(), 'igs-rounds-'));
  repo = await createFixtureRepo(join(root, 'server'), 'proveit');
  await repo.tag('2.0.0', await repo.commit(await exampleRepoFiles()), { annotated: true });
  const profiles = await readFile(join(EXAMPLE_DIR, 'config/sync-profiles.yaml'), 'utf8');
  const gateways = AREAS.map((name) => {
    return `apiVersion: sync.ignition.io/v1alpha1\nkind: Gateway\nmetadata: {name: ${name}, namespace: site1}\nspec: {syncRef: proveit-sync, profile: proveit-area, dataDir: ./gw/${name}}`;
  });
  const sync = `apiVersion: sync.ignition.io/v1alpha1\nkind: IgnitionSync\nmetadata: {name: proveit-sync, namespace: site1}\nspec:\n  git: {repo: "${repo.fileUrl}", ref: "2.0.0"}\n  webhook: {enabled: false}\n  rateLimit: {maxConcurrentSyncs: 2}`;
  for (const name of AREAS) await mkdir(join(root, 'gw', name), { recursive: true });
  await writeFile(join(root, 'config.yaml'), [sync, profiles, ...gateways].join('\n---\n'));
  const loaded = await loadRunConfig([join(root, 'config.yaml')], root);
  if (!loaded.ok) throw new Error(loaded.problems.join('\n'));
  const config = loaded.config.syncs[0];
  if (config === undefined) throw new Error('no IgnitionSync');
  git = new CountingGitClient({ pathEnv: process.env.PATH ?? '/usr/bin:/bin' });
  let syncing = 0;
  worker = new SyncWorker(config, {
    git,
    secrets: new SecretsDir(undefined),
    requestedRefs: new RequestedRefStore(join(root, 'state')),
    stateDir: join(root, 'state'),
    dryRun: false,
    logger: createSilentLogger(),
    stopSignal: new AbortController().signal,
    signal: new AbortController().signal,
    now: () => clock,
    engine: {
      prepare: (input) => {
        plans.push(input.dataDir);
        return SYNC_ENGINE.prepare(input);
      },
      apply: SYNC_ENGINE.apply,
    },
    onProgress: (p) => {
      onResolving(p.state);
      if (p.state === 'Syncing') syncing += 1;
      else if (p.state === 'Synced' || p.state === 'Failed') syncing = Math.max(0, syncing - 1);
      maxSyncing = Math.max(maxSyncing, syncing);
    },
  });
});

let maxSyncing = 0;
let clock = 0;
/** The data dir of every plan the engine made. */
let plans: string[] = [];
let onResolving: (state: string) => void = () => {};

afterEach(async () => {
  await git.close();
  await rm(root, { recursive: true, force: true });
});

describe('SyncWorker rounds', () => {
  it('resolves and fetches once per round for four gateways, and honours maxConcurrentSyncs', async () => {
    maxSyncing = 0;
    const reports = await worker.trigger({ cause: 'once' });
    expect(reports.map((r) => [r.name, r.status])).toEqual(AREAS.map((a) => [a, 'Synced']));
    expect({ resolves: git.resolves, fetches: git.fetches }).toEqual({ resolves: 1, fetches: 1 });
    expect(maxSyncing).toBeLessThanOrEqual(2);
    // One plan per gateway per round.
    expect(plans.map((dir) => dir.split('/').pop()).sort()).toEqual(AREAS);
    // Nothing new: one ls-remote, no fetch, no gateway work.
    const again = await worker.trigger({ cause: 'poll' });
    expect(again.map((r) => [r.name, r.status, r.added + r.modified + r.deleted])).toEqual(
      AREAS.map((a) => [a, 'Synced', 0]),
    );
    expect({ resolves: git.resolves, fetches: git.fetches }).toEqual({ resolves: 2, fetches: 1 });
    expect(plans).toHaveLength(AREAS.length);
  });

  it('a burst of triggers during a round coalesces into one follow-up round that uses the latest requested ref', async () => {
    const next = await repo.commit({ 'services/area/projects/area/project.json': '{"title":"Area v2"}\n' });
    await repo.tag('2.0.1', next, { annotated: true });
    await repo.tag('2.0.2', next, { annotated: true });
    const resolving = new Promise<void>((resolve) => {
      onResolving = (state) => {
        if (state === 'Resolving') resolve();
      };
    });
    const first = worker.trigger({ cause: 'start' });
    await resolving; // the first round is running: what follows must queue behind it
    const request = (ref: string) => ({
      ref,
      specRef: '2.0.0',
      requestedAt: new Date(0).toISOString(),
      requestedBy: 'test',
    });
    const burst = [
      worker.trigger({ cause: 'webhook', requestedRef: request('2.0.1') }),
      worker.trigger({ cause: 'webhook', requestedRef: request('2.0.2') }),
      worker.trigger({ cause: 'poll' }),
    ];
    await first;
    const results = await Promise.all(burst);
    expect(git.resolves).toBe(2);
    // The four gateways moved from the same applied commit: they share one `git diff`.
    expect(git.diffs).toBe(1);
    expect(results[0]).toBe(results[2]);
    expect(results[0]?.map((r) => [r.name, r.ref, r.commit, r.modified])).toEqual(
      AREAS.map((a) => [a, '2.0.2', next, 1]),
    );
    expect(worker.effectiveRef).toBe('2.0.2');
  });

  it('a requested older tag moves the gateways back and says so in every report', async () => {
    await worker.trigger({ cause: 'start' });
    const now = Math.floor(Date.now() / 1000);
    const newer = await repo.commit(
      { 'services/area/projects/area/project.json': '{"title":"Area v3"}\n' },
      { time: now + 120 },
    );
    await repo.tag('3.0.0', newer, { annotated: true });
    const request = (ref: string) => ({
      ref,
      specRef: '2.0.0',
      requestedAt: new Date(0).toISOString(),
      requestedBy: 'test',
    });
    const forward = await worker.trigger({ cause: 'webhook', requestedRef: request('3.0.0') });
    expect(forward.map((r) => [r.status, r.commit, r.reason])).toEqual(
      AREAS.map(() => ['Synced', newer, null]),
    );
    const back = await worker.trigger({ cause: 'webhook', requestedRef: request('2.0.0') });
    const initial = await repo.revParse('2.0.0^{commit}');
    expect(back.map((r) => [r.status, r.commit, r.reason])).toEqual(
      AREAS.map(() => ['Synced', initial, 'MovedToOlderCommit']),
    );
  });

  it('a gateway at the current commit is re-verified every 10 minutes: drift is reported and corrected', async () => {
    await worker.trigger({ cause: 'start' });
    const live = join(root, 'gw', 'area2', 'projects/area/project.json');
    const original = await readFile(live, 'utf8');
    await writeFile(live, '{"title":"edited on the gateway"}\n');
    clock = 5 * 60_000;
    const early = await worker.trigger({ cause: 'poll' });
    expect(early.find((r) => r.name === 'area2')).toMatchObject({ drift: 0, modified: 0 });
    expect(await readFile(live, 'utf8')).toBe('{"title":"edited on the gateway"}\n');
    clock = 10 * 60_000;
    const due = await worker.trigger({ cause: 'poll' });
    expect(due.find((r) => r.name === 'area2')).toMatchObject({
      status: 'Synced',
      drift: 1,
      modified: 1,
      paths: { drifted: ['projects/area/project.json'], added: [], modified: [], deleted: [] },
    });
    expect(due.find((r) => r.name === 'area1')?.paths).toBeUndefined();
    expect(due.find((r) => r.name === 'area1')).toMatchObject({ status: 'Synced', drift: 0, modified: 0 });
    expect(await readFile(live, 'utf8')).toBe(original);
  });
});
