import { type ChildProcess, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { stringify } from 'yaml';
import {
  AgentEnv,
  DESIRED_STATE_KEY,
  DesiredState,
  desiredStateName,
  GATEWAY_REPORT_KEY,
  GatewayReport,
  gatewayReportName,
  ObjectRoleLabel,
  ObjectRoles,
} from '../../src/api/index.ts';
import {
  type GatewaySimulator,
  SimulatorControlClient,
  startGatewaySimulator,
} from '../../src/ignition/simulator/index.ts';
import { collectionPath, Informer, KubeClient, objectPath } from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { createFixtureRepo, type FixtureFile, type FixtureRepo } from '../harness/git-servers/index.ts';
import { createTestNamespace, kubeConfigFor, waitFor } from '../harness/kube/index.ts';
import { freePort } from '../harness/net.ts';
import { scrapeMetrics } from '../harness/prometheus-text.ts';

// The agent runs as `node src/bin/cli.ts agent` with exactly the environment the admission webhook injects
// (plus PATH), against the test apiserver, as a ServiceAccount holding only the RBAC the README lists.

const CLI = fileURLToPath(new URL('../../src/bin/cli.ts', import.meta.url));
const TOKEN = 'sync-agent:c3luYy1zZWNyZXQtdmFsdWU';
const API_SECRET = { name: 'gateway-api', key: 'token' };
const log = createSilentLogger();

let client: KubeClient;
let root: string;
let repo: FixtureRepo;
const commits: Record<'v1' | 'v2' | 'big' | 'sub', string> = { v1: '', v2: '', big: '', sub: '' };

const project = (title: string): string =>
  `${JSON.stringify({ title, enabled: true, inheritable: false, parent: '' })}\n`;
const view = (text: string): string => `${JSON.stringify({ root: { type: 'ia.container.flex', text } })}\n`;

const V1: Record<string, FixtureFile> = {
  'README.md': '# plant\n',
  'site/projects/Demo/project.json': project('Demo'),
  'site/projects/Demo/com.inductiveautomation.perspective/views/Main/view.json': view('v1'),
  'site/projects/Old/project.json': project('Old'),
  'site/config/ignition/system-properties/config.json': '{"systemName":"site-v1"}\n',
  'gateways/area/projects/Area/project.json': project('Area'),
  'gateways/area/config/resources/core/ignition/system-properties/config.json': '{"systemName":"area"}\n',
};
const V2: Record<string, FixtureFile> = {
  'site/projects/Demo/com.inductiveautomation.perspective/views/Main/view.json': view('v2'),
  'site/projects/Old/project.json': null,
  'site/projects/New/project.json': project('New'),
};
const BIG_FILES = 2500;

function siteProfile() {
  return {
    mappings: [
      { source: 'site/projects', destination: 'projects' },
      { source: 'site/config', destination: 'config/resources/core' },
    ],
  };
}

beforeAll(async () => {
  client = new KubeClient(kubeConfigFor(inject('kube')));
  root = await mkdtemp(join(tmpdir(), 'igs-agent-it-'));
  repo = await createFixtureRepo(join(root, 'git'), 'plant');
  commits.v1 = await repo.commit(V1, { message: 'v1' });
  await repo.tag('v1', commits.v1, { annotated: true });
  commits.v2 = await repo.commit(V2, { message: 'v2' });
  await repo.tag('v2', commits.v2);
  const big: Record<string, FixtureFile> = {};
  for (let i = 0; i < BIG_FILES; i++) {
    big[`site/projects/Big/com.inductiveautomation.perspective/views/V${i % 50}/f${i}/view.json`] = view(
      `big ${i}`,
    );
  }
  big['site/projects/Big/project.json'] = project('Big');
  commits.big = await repo.commit(big, { message: 'big' });
  await repo.tag('big', commits.big);
  commits.sub = await repo.commit(
    { 'gateways/area/projects/Area/com.inductiveautomation.perspective/views/Sub/view.json': view('sub') },
    { message: 'sub' },
  );
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** One gateway pod as the test builds it: namespace, Pod object, RBAC, simulator, secrets, desired state. */
interface Gateway {
  readonly namespace: string;
  readonly podName: string;
  readonly podUid: string;
  readonly sim: GatewaySimulator;
  readonly control: SimulatorControlClient;
  readonly dataDir: string;
  readonly secretsDir: string;
  readonly workDir: string;
  readonly kubeconfig: string;
  /** Every report version the apiserver delivered over a watch, in order. */
  readonly reports: GatewayReport[];
  readonly stopWatch: AbortController;
}

const gateways: Gateway[] = [];
const agents: Agent[] = [];

afterEach(async () => {
  for (const a of agents.splice(0)) {
    if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    await a.exited;
  }
  for (const g of gateways.splice(0)) {
    g.stopWatch.abort();
    await g.sim.close();
  }
});

async function setUpGateway(crName: string): Promise<Gateway> {
  const namespace = await createTestNamespace(client, 'agent');
  const podName = 'gateway-0';
  const pod = await client.request<{ metadata: { uid: string } }>({
    method: 'POST',
    path: collectionPath({ apiVersion: 'v1', plural: 'pods', namespace }),
    body: {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: podName, annotations: { 'ignition-sync.io/cr-name': crName } },
      spec: { containers: [{ name: 'gateway', image: 'inductiveautomation/ignition:8.3.6' }] },
    },
  });
  const dir = await mkdtemp(join(root, 'gw-'));
  const dataDir = join(dir, 'data');
  await mkdir(dataDir);
  const sim = await startGatewaySimulator({ dataDir, tokens: [`${TOKEN}:write`], scanDurationMs: 30 });
  const secretsDir = join(dir, 'secrets');
  await mkdir(join(secretsDir, API_SECRET.name), { recursive: true });
  await writeFile(join(secretsDir, API_SECRET.name, API_SECRET.key), `${TOKEN}\n`);
  const kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, await agentKubeconfig(namespace, crName, podName));
  const reports: GatewayReport[] = [];
  const stopWatch = new AbortController();
  const informer = new Informer<{ metadata?: { name?: string }; data?: Record<string, string> }>({
    client,
    resource: { apiVersion: 'v1', plural: 'configmaps', namespace },
    labelSelector: `${ObjectRoleLabel}=${ObjectRoles.gatewayReport}`,
    logger: log,
  });
  const record = (cm: { data?: Record<string, string> }): void => {
    const text = cm.data?.[GATEWAY_REPORT_KEY];
    if (text !== undefined) reports.push(GatewayReport.parse(JSON.parse(text)));
  };
  informer.addHandlers({ onAdd: record, onUpdate: (_o, n) => record(n) });
  void informer.start(stopWatch.signal);
  await informer.waitForSync();
  const g: Gateway = {
    namespace,
    podName,
    podUid: pod.metadata.uid,
    sim,
    control: new SimulatorControlClient(sim.controlUrl),
    dataDir: sim.dataDir,
    secretsDir,
    workDir: join(dir, 'work'),
    kubeconfig,
    reports,
    stopWatch,
  };
  gateways.push(g);
  return g;
}

/**
 * A ServiceAccount with exactly the agent's RBAC (src/agent/README.md) and a kubeconfig with its token: the
 * test fails if the agent needs anything more.
 */
async function agentKubeconfig(namespace: string, crName: string, podName: string): Promise<string> {
  const core = (plural: string) => collectionPath({ apiVersion: 'v1', plural, namespace });
  const rbac = (plural: string) =>
    collectionPath({ apiVersion: 'rbac.authorization.k8s.io/v1', plural, namespace });
  await client.request({
    method: 'POST',
    path: core('serviceaccounts'),
    body: { metadata: { name: 'agent' } },
  });
  await client.request({
    method: 'POST',
    path: rbac('roles'),
    body: {
      metadata: { name: 'ignition-sync-agent' },
      rules: [
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [desiredStateName(crName)],
          verbs: ['get', 'list', 'watch'],
        },
        { apiGroups: [''], resources: ['configmaps'], verbs: ['create'] },
        {
          apiGroups: [''],
          resources: ['configmaps'],
          resourceNames: [gatewayReportName(podName)],
          verbs: ['get', 'update'],
        },
      ],
    },
  });
  await client.request({
    method: 'POST',
    path: rbac('rolebindings'),
    body: {
      metadata: { name: 'ignition-sync-agent' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'ignition-sync-agent' },
      subjects: [{ kind: 'ServiceAccount', name: 'agent', namespace }],
    },
  });
  const token = await client.request<{ status: { token: string } }>({
    method: 'POST',
    path: `${objectPath({ apiVersion: 'v1', plural: 'serviceaccounts', namespace, name: 'agent' })}/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  const conn = inject('kube');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: 'test',
        cluster: {
          server: conn.server,
          'certificate-authority-data': Buffer.from(conn.caPem).toString('base64'),
        },
      },
    ],
    users: [{ name: 'agent', user: { token: token.status.token } }],
    contexts: [{ name: 'test', context: { cluster: 'test', user: 'agent', namespace } }],
    'current-context': 'test',
  });
}

function desiredState(
  g: Gateway,
  crName: string,
  commit: string,
  ref: string,
  profiles: Record<string, unknown>,
  paused = false,
) {
  return DesiredState.parse({
    version: 1,
    ignitionSync: crName,
    repo: repo.fileUrl,
    ref,
    commit,
    auth: { kind: 'none' },
    excludePatterns: ['**/*.bak'],
    gateway: { port: g.sim.port, tls: false, apiKeySecretRef: API_SECRET },
    profiles,
    paused,
  });
}

/** Publishes the desired state as the controller would: create, or replace with the read resourceVersion. */
async function publish(g: Gateway, crName: string, desired: DesiredState): Promise<void> {
  const name = desiredStateName(crName);
  const ref = { apiVersion: 'v1', plural: 'configmaps', namespace: g.namespace };
  const body = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name,
      labels: { [ObjectRoleLabel]: ObjectRoles.desiredState, 'ignition-sync.io/cr-name': crName },
    },
    data: { [DESIRED_STATE_KEY]: JSON.stringify(desired) },
  };
  try {
    const current = await client.get<{ metadata: { resourceVersion: string } }>(objectPath({ ...ref, name }));
    await client.request({
      method: 'PUT',
      path: objectPath({ ...ref, name }),
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
  } catch {
    await client.request({ method: 'POST', path: collectionPath(ref), body });
  }
}

interface Agent {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly probePort: number;
  output(): string;
}

async function startAgent(
  g: Gateway,
  crName: string,
  routing: Record<string, string>,
  extra: Record<string, string> = {},
): Promise<Agent> {
  const probePort = await freePort();
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    [AgentEnv.podName]: g.podName,
    [AgentEnv.podNamespace]: g.namespace,
    [AgentEnv.podUid]: g.podUid,
    [AgentEnv.crName]: crName,
    [AgentEnv.dataDir]: g.dataDir,
    [AgentEnv.secretsDir]: g.secretsDir,
    [AgentEnv.workDir]: g.workDir,
    ...routing,
    ...extra,
  };
  const child = spawn(
    process.execPath,
    [
      CLI,
      'agent',
      '--kubeconfig',
      g.kubeconfig,
      '--probe-listen',
      `127.0.0.1:${probePort}`,
      '--log-level',
      'debug',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const agent = { child, exited, probePort, output: () => output };
  agents.push(agent);
  return agent;
}

/** The first report delivered at or after index `from` that satisfies `match`; a timeout shows the agent's output. */
async function reportWhere(
  g: Gateway,
  agent: Agent,
  what: string,
  match: (r: GatewayReport) => boolean,
  options: { from?: number; timeoutMs?: number } = {},
): Promise<GatewayReport> {
  try {
    return await waitFor(what, () => g.reports.slice(options.from ?? 0).find(match), {
      timeoutMs: options.timeoutMs ?? 60_000,
      intervalMs: 20,
    });
  } catch (e: unknown) {
    const message = e instanceof Error ? e.message : String(e);
    throw new Error(
      `${message}\nreports: ${JSON.stringify(g.reports.slice(-3))}\nagent output:\n${agent.output().slice(-4000)}`,
    );
  }
}

/** Publishes a desired state and waits for the agent's first Synced report at its commit after that. */
async function publishAndAwaitSynced(
  g: Gateway,
  agent: Agent,
  crName: string,
  desired: DesiredState,
  what: string,
): Promise<GatewayReport> {
  const from = g.reports.length;
  await publish(g, crName, desired);
  return reportWhere(g, agent, what, (r) => r.syncStatus === 'Synced' && r.commit === desired.commit, {
    from,
  });
}

async function listFiles(dir: string, under = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(path, under)));
    else out.push(relative(under, path));
  }
  return out.sort();
}

/** The agent's `/metrics`: its gateway syncs of `crName` by result and reason. */
async function agentSyncMetrics(agent: Agent, g: Gateway, crName: string) {
  const m = await scrapeMetrics(`http://127.0.0.1:${agent.probePort}/metrics`);
  const labels = { namespace: g.namespace, ignition_sync: crName };
  return {
    synced: m.value('ignition_sync_sync_results_total', { ...labels, reason: 'Synced' }),
    failed: m.value('ignition_sync_sync_results_total', { ...labels, result: 'Failed' }),
    durations: m.value('ignition_sync_sync_duration_seconds_count', { ...labels, result: 'Synced' }),
    seconds: m.value('ignition_sync_sync_duration_seconds_sum', labels),
    reconciles: m.series('ignition_sync_reconcile_total').length,
  };
}

const readyzOf = async (agent: Agent): Promise<number> =>
  (await fetch(`http://127.0.0.1:${agent.probePort}/readyz`)).status;

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  );

describe('ignition-sync agent on the real apiserver', () => {
  it('syncs its profile at the published commit, reports it, scans after the write, then follows a new commit', async () => {
    const g = await setUpGateway('plant');
    await publish(g, 'plant', desiredState(g, 'plant', commits.v1, 'v1', { site: siteProfile() }));
    const agent = await startAgent(g, 'plant', {
      [AgentEnv.syncProfile]: 'site',
      [AgentEnv.gatewayName]: 'site',
    });

    const synced = await reportWhere(g, agent, 'Synced at v1', (r) => r.syncStatus === 'Synced');
    expect(synced).toMatchObject({
      version: 1,
      name: 'site',
      podName: g.podName,
      profile: 'site',
      desiredCommit: commits.v1,
      commit: commits.v1,
      scans: ['config', 'projects'],
    });
    // Three project files added; system-properties replaces the one the simulator seeded.
    expect([synced.filesAdded, synced.filesModified]).toEqual([3, 1]);
    expect(g.reports[0]).toMatchObject({ syncStatus: 'Syncing', desiredCommit: commits.v1 });
    expect(
      await readFile(
        join(g.dataDir, 'projects/Demo/com.inductiveautomation.perspective/views/Main/view.json'),
        'utf8',
      ),
    ).toBe(view('v1'));
    expect(
      await readFile(join(g.dataDir, 'config/resources/core/ignition/system-properties/config.json'), 'utf8'),
    ).toBe('{"systemName":"site-v1"}\n');
    expect(await exists(join(g.dataDir, 'README.md'))).toBe(false);
    expect(await exists(join(g.dataDir, 'projects/Area'))).toBe(false);

    // A scan of each kind started after the agent's write, under its lock, and never saw it half-written.
    const scans = await g.control.scans();
    const projectsScan = scans.find(
      (s) => s.kind === 'projects' && s.writes.some((w) => w.path.includes('Demo')),
    );
    expect(projectsScan).toMatchObject({ torn: false, unlockedWrites: [] });
    expect(projectsScan?.writes.every((w) => w.mtimeMs <= (projectsScan?.startedAt ?? 0) + 10)).toBe(true);
    expect(scans.some((s) => s.kind === 'config' && !s.torn && s.writes.length > 0)).toBe(true);
    expect(await g.control.tripwires()).toMatchObject({ ok: true, added: [], modified: [], removed: [] });

    // The report object: named after the pod, labelled, owned by the Pod without blocking its deletion.
    const cm = await client.get<{ metadata: { labels: Record<string, string>; ownerReferences: unknown[] } }>(
      objectPath({
        apiVersion: 'v1',
        plural: 'configmaps',
        namespace: g.namespace,
        name: gatewayReportName(g.podName),
      }),
    );
    expect(cm.metadata.labels).toEqual({
      'ignition-sync.io/cr-name': 'plant',
      'ignition-sync.io/role': 'gateway-report',
      'ignition-sync.io/gateway-name': 'site',
      'app.kubernetes.io/managed-by': 'ignition-sync',
    });
    expect(cm.metadata.ownerReferences).toEqual([
      {
        apiVersion: 'v1',
        kind: 'Pod',
        name: g.podName,
        uid: g.podUid,
        controller: false,
        blockOwnerDeletion: false,
      },
    ]);
    const ready = await fetch(`http://127.0.0.1:${agent.probePort}/readyz`);
    expect(ready.status).toBe(200);
    // curl /metrics: the one sync is in the histogram and counted as Synced (an agent never reconciles).
    const afterFirst = await agentSyncMetrics(agent, g, 'plant');
    expect(afterFirst).toMatchObject({ synced: 1, failed: 0, durations: 1, reconciles: 0 });
    expect(afterFirst.seconds).toBeGreaterThan(0);

    // Publishing the next commit moves the gateway and the report.
    const before = g.reports.length;
    const scansBefore = scans.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }));
    const moved = await reportWhere(
      g,
      agent,
      'Synced at v2',
      (r) => r.syncStatus === 'Synced' && r.commit === commits.v2,
      { from: before },
    );
    expect(moved).toMatchObject({
      desiredCommit: commits.v2,
      filesAdded: 1,
      filesModified: 1,
      filesDeleted: 1,
      scans: ['projects'],
    });
    expect(g.reports.slice(before).map((r) => r.syncStatus)).toEqual(['Syncing', 'Synced']);
    expect(await agentSyncMetrics(agent, g, 'plant')).toMatchObject({ synced: 2, durations: 2 });
    expect(
      await readFile(
        join(g.dataDir, 'projects/Demo/com.inductiveautomation.perspective/views/Main/view.json'),
        'utf8',
      ),
    ).toBe(view('v2'));
    expect(await exists(join(g.dataDir, 'projects/Old'))).toBe(false);
    expect(await exists(join(g.dataDir, 'projects/New/project.json'))).toBe(true);
    const newScans = (await g.control.scans()).slice(scansBefore);
    expect(newScans.map((s) => [s.kind, s.torn])).toEqual([['projects', false]]);
    expect(await g.control.tripwires()).toMatchObject({ ok: true });
    // Gateway-owned files the simulator seeded are still there.
    expect((await listFiles(join(g.dataDir, 'projects/.resources'))).length).toBeGreaterThan(0);
    expect((await listFiles(join(g.dataDir, 'config/local'))).length).toBeGreaterThan(0);

    // Publishing an older commit moves the gateway back. (Whether the report names it MovedToOlderCommit
    // depends on committer times, which the fixture's commits share to the second: unit-tested instead.)
    const older = await publishAndAwaitSynced(
      g,
      agent,
      'plant',
      desiredState(g, 'plant', commits.v1, 'v1', { site: siteProfile() }),
      'Synced back at v1',
    );
    expect(older).toMatchObject({ filesAdded: 1, filesModified: 1, filesDeleted: 1 });
    expect(await exists(join(g.dataDir, 'projects/Old/project.json'))).toBe(true);
    expect(await exists(join(g.dataDir, 'projects/New'))).toBe(false);

    // SIGTERM: a clean stop with exit code 0.
    agent.child.kill('SIGTERM');
    expect(await agent.exited).toEqual({ code: 0, signal: null });
    const firstLine = JSON.parse(
      agent
        .output()
        .split('\n')
        .find((l) => l.includes('sync agent starting')) ?? '{}',
    );
    expect(firstLine).toMatchObject({
      pod: g.podName,
      namespace: g.namespace,
      crName: 'plant',
      profile: 'site',
    });
  });

  it('2-tier mode: a service path without a profile, through the configured gateway URL', async () => {
    const g = await setUpGateway('area');
    await publish(g, 'area', desiredState(g, 'area', commits.v1, 'v1', {}));
    const agent = await startAgent(
      g,
      'area',
      { [AgentEnv.servicePath]: 'gateways/area' },
      { [AgentEnv.gatewayUrl]: g.sim.url },
    );
    const synced = await reportWhere(g, agent, 'Synced', (r) => r.syncStatus === 'Synced');
    expect(synced).toMatchObject({
      name: g.podName,
      servicePath: 'gateways/area',
      commit: commits.v1,
    });
    // The project file is added; system-properties replaces the one the simulator seeded.
    expect([synced.filesAdded, synced.filesModified]).toEqual([1, 1]);
    expect(synced).not.toHaveProperty('profile');
    expect(await readFile(join(g.dataDir, 'projects/Area/project.json'), 'utf8')).toBe(project('Area'));
    expect(
      await readFile(join(g.dataDir, 'config/resources/core/ignition/system-properties/config.json'), 'utf8'),
    ).toBe('{"systemName":"area"}\n');
    expect(await exists(join(g.dataDir, 'projects/Demo'))).toBe(false);
    expect(await g.control.tripwires()).toMatchObject({ ok: true });

    await publishAndAwaitSynced(
      g,
      agent,
      'area',
      desiredState(g, 'area', commits.sub, 'main', {}),
      'Synced at sub',
    );
    expect(
      await exists(join(g.dataDir, 'projects/Area/com.inductiveautomation.perspective/views/Sub/view.json')),
    ).toBe(true);

    // The report changed behind the agent's back (its resourceVersion is stale: 409), then deleted (404):
    // the agent re-reads or re-creates it and the report stays current.
    const reportPath = objectPath({
      apiVersion: 'v1',
      plural: 'configmaps',
      namespace: g.namespace,
      name: gatewayReportName(g.podName),
    });
    await client.request({
      method: 'PATCH',
      path: reportPath,
      body: { metadata: { annotations: { 'example.com/touched': 'yes' } } },
    });
    await publishAndAwaitSynced(
      g,
      agent,
      'area',
      desiredState(g, 'area', commits.v1, 'v1', {}),
      'Synced at v1 after a conflict',
    );
    await client.request({ method: 'DELETE', path: reportPath });
    await publishAndAwaitSynced(
      g,
      agent,
      'area',
      desiredState(g, 'area', commits.sub, 'main', {}),
      'Synced at sub after a delete',
    );
    const recreated = await client.get<{ metadata: { ownerReferences: { uid: string }[] } }>(reportPath);
    expect(recreated.metadata.ownerReferences.map((o) => o.uid)).toEqual([g.podUid]);
  });

  it('no desired state yet is Pending; a profile missing from it is Failed (stalling) until one publishes it; pause holds', async () => {
    const g = await setUpGateway('plant');
    const agent = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    const pending = await reportWhere(g, agent, 'Pending', (r) => r.syncStatus === 'Pending');
    expect(pending).toMatchObject({ reason: 'DesiredStateMissing', profile: 'site' });
    expect(pending).not.toHaveProperty('desiredCommit');
    expect((await fetch(`http://127.0.0.1:${agent.probePort}/readyz`)).status).toBe(503);
    // The watch delivers the ConfigMap's creation.
    await publish(g, 'plant', desiredState(g, 'plant', commits.v1, 'v1', { other: siteProfile() }));
    const failed = await reportWhere(
      g,
      agent,
      'Failed ProfileNotPublished',
      (r) => r.syncStatus === 'Failed',
    );
    expect(failed).toMatchObject({
      reason: 'ProfileNotPublished',
      kind: 'stalling',
      desiredCommit: commits.v1,
    });
    expect(failed).not.toHaveProperty('commit');
    expect((await fetch(`http://127.0.0.1:${agent.probePort}/readyz`)).status).toBe(503);
    expect(await exists(join(g.dataDir, 'projects/Demo'))).toBe(false);

    let from = g.reports.length;
    await publish(
      g,
      'plant',
      desiredState(g, 'plant', commits.v1, 'v1', { other: siteProfile(), site: siteProfile() }),
    );
    await reportWhere(
      g,
      agent,
      'Synced once published',
      (r) => r.syncStatus === 'Synced' && r.commit === commits.v1,
      { from },
    );
    expect(await readyzOf(agent)).toBe(200);
    // The initial-sync gate stays open: a later desired state that fails does not make the pod look unstarted.
    from = g.reports.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { other: siteProfile() }));
    await reportWhere(g, agent, 'Failed again', (r) => r.syncStatus === 'Failed', { from });
    expect(await readyzOf(agent)).toBe(200);

    // Paused: a new commit is not synced; the report says Held and the data dir stays at v1.
    from = g.reports.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }, true));
    const held = await reportWhere(g, agent, 'Held', (r) => r.syncStatus === 'Held', { from });
    expect(held).toMatchObject({ reason: 'Paused', desiredCommit: commits.v2, commit: commits.v1 });
    expect(
      await readFile(
        join(g.dataDir, 'projects/Demo/com.inductiveautomation.perspective/views/Main/view.json'),
        'utf8',
      ),
    ).toBe(view('v1'));
    from = g.reports.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }, false));
    await reportWhere(
      g,
      agent,
      'Synced after unpause',
      (r) => r.syncStatus === 'Synced' && r.commit === commits.v2,
      { from },
    );

    // A dry-run profile: the plan is reported (Held, DryRun, counts), nothing is written, no scan runs.
    const scansBefore = (await g.control.scans()).length;
    from = g.reports.length;
    await publish(
      g,
      'plant',
      desiredState(g, 'plant', commits.v1, 'v1', { site: { ...siteProfile(), dryRun: true } }),
    );
    const dry = await reportWhere(g, agent, 'Held DryRun', (r) => r.syncStatus === 'Held', { from });
    expect(dry).toMatchObject({
      reason: 'DryRun',
      desiredCommit: commits.v1,
      commit: commits.v2,
      filesAdded: 1,
      filesModified: 1,
      filesDeleted: 1,
    });
    expect(
      await readFile(
        join(g.dataDir, 'projects/Demo/com.inductiveautomation.perspective/views/Main/view.json'),
        'utf8',
      ),
    ).toBe(view('v2'));
    expect(await exists(join(g.dataDir, 'projects/Old'))).toBe(false);
    expect((await g.control.scans()).length).toBe(scansBefore);
  });

  it('a restart on a data dir at a last good commit: /readyz opens although the first attempt cannot sync', async () => {
    const g = await setUpGateway('plant');
    await publish(g, 'plant', desiredState(g, 'plant', commits.v1, 'v1', { site: siteProfile() }));
    const first = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    await reportWhere(g, first, 'Synced at v1', (r) => r.syncStatus === 'Synced' && r.commit === commits.v1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });

    // The next desired state names a commit the repository does not have: the fetch fails (transient).
    const missing = 'f'.repeat(40);
    await publish(g, 'plant', desiredState(g, 'plant', missing, 'gone', { site: siteProfile() }));
    const from = g.reports.length;
    const second = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    const failed = await reportWhere(g, second, 'Failed fetch', (r) => r.syncStatus === 'Failed', { from });
    expect(failed).toMatchObject({ desiredCommit: missing, commit: commits.v1 });
    // The gateway may start on v1, which is complete in its data dir; the agent says so and keeps retrying.
    await waitFor('readyz 200 on the last good state', async () => (await readyzOf(second)) === 200);
    expect(second.output()).toContain('"decision":"last-good-state"');
    expect(await readFile(join(g.dataDir, 'projects/Demo/project.json'), 'utf8')).toBe(project('Demo'));
    expect(await agentSyncMetrics(second, g, 'plant')).toMatchObject({ synced: 0, failed: 1, durations: 0 });
  });

  it('first boot: with the gateway not started yet, the first sync writes the files without gateway calls', async () => {
    const g = await setUpGateway('plant');
    await g.sim.setListening(false);
    await publish(g, 'plant', desiredState(g, 'plant', commits.v1, 'v1', { site: siteProfile() }));
    const agent = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    const synced = await reportWhere(g, agent, 'Synced at first boot', (r) => r.syncStatus === 'Synced');
    expect(synced).toMatchObject({ commit: commits.v1, filesAdded: 3 });
    expect(synced).not.toHaveProperty('scans');
    expect(await readFile(join(g.dataDir, 'projects/Demo/project.json'), 'utf8')).toBe(project('Demo'));
    expect((await fetch(`http://127.0.0.1:${agent.probePort}/readyz`)).status).toBe(200);

    // The gateway started: the next commit is a live sync with its scan.
    await g.sim.setListening(true);
    const live = await publishAndAwaitSynced(
      g,
      agent,
      'plant',
      desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }),
      'Synced at v2',
    );
    expect(live.scans).toEqual(['projects']);
    expect((await g.control.scans()).filter((s) => s.trigger === 'api').map((s) => [s.kind, s.torn])).toEqual(
      [['projects', false]],
    );
  });

  it('SIGKILL in the middle of a sync, then a restart: the gateway converges to the commit', async () => {
    const g = await setUpGateway('plant');
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }));
    const first = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    await reportWhere(g, first, 'Synced at v2', (r) => r.syncStatus === 'Synced' && r.commit === commits.v2);

    // A slow gateway scan and thousands of files: the kill lands inside the sync.
    await g.control.setScanBehaviour({ durationMs: 1_000 });
    const from = g.reports.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.big, 'big', { site: siteProfile() }));
    await reportWhere(
      g,
      first,
      'Syncing big',
      (r) => r.syncStatus === 'Syncing' && r.desiredCommit === commits.big,
      { from },
    );
    // Wait until the engine has begun writing the big project, then kill the agent without warning.
    await waitFor('the first big file', () => exists(join(g.dataDir, 'projects/Big')), { intervalMs: 5 });
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');
    const bigFiles = async () => (await listFiles(join(g.dataDir, 'projects/Big')).catch(() => [])).length;
    // The kill landed before the engine recorded the commit: the data dir is half-applied.
    const stateAtKill = await readFile(join(g.dataDir, '.ignition-sync/state.json'), 'utf8');
    expect(JSON.parse(stateAtKill)).not.toMatchObject({ commit: commits.big, phase: 'applied' });

    const second = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    const done = await reportWhere(
      g,
      second,
      'Synced at big after restart',
      (r) => r.syncStatus === 'Synced' && r.commit === commits.big,
      { from: g.reports.length, timeoutMs: 90_000 },
    );
    expect(done.desiredCommit).toBe(commits.big);
    expect(await bigFiles()).toBe(BIG_FILES + 1);
    const all = await listFiles(g.dataDir);
    expect(all.filter((p) => p.includes('ignsync-tmp'))).toEqual([]);
    expect(
      await readFile(
        join(g.dataDir, 'projects/Big/com.inductiveautomation.perspective/views/V7/f1207/view.json'),
        'utf8',
      ),
    ).toBe(view('big 1207'));
    expect(
      await readFile(
        join(g.dataDir, 'projects/Demo/com.inductiveautomation.perspective/views/Main/view.json'),
        'utf8',
      ),
    ).toBe(view('v2'));
    const state = JSON.parse(await readFile(join(g.dataDir, '.ignition-sync/state.json'), 'utf8')) as {
      commit: string;
      phase: string;
    };
    expect(state).toMatchObject({ commit: commits.big, phase: 'applied' });
    expect(await g.control.tripwires()).toMatchObject({ ok: true });

    // SIGTERM during a sync: the agent stops at the sync's next wait and exits 0; a restart finishes the job.
    const termFrom = g.reports.length;
    await publish(g, 'plant', desiredState(g, 'plant', commits.v2, 'v2', { site: siteProfile() }));
    await reportWhere(
      g,
      second,
      'Syncing back to v2',
      (r) => r.syncStatus === 'Syncing' && r.desiredCommit === commits.v2,
      {
        from: termFrom,
      },
    );
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
    expect((await listFiles(g.dataDir)).filter((p) => p.includes('ignsync-tmp'))).toEqual([]);
    const third = await startAgent(g, 'plant', { [AgentEnv.syncProfile]: 'site' });
    await reportWhere(
      g,
      third,
      'Synced at v2 after SIGTERM',
      (r) => r.syncStatus === 'Synced' && r.commit === commits.v2,
      {
        from: g.reports.length,
        timeoutMs: 90_000,
      },
    );
    expect(await exists(join(g.dataDir, 'projects/Big'))).toBe(false);
  });
});
