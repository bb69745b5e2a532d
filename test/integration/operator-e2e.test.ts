// The operator end to end on the real kube-apiserver + etcd: the seed's YAML applied as written (only the git URL
// points at a local server), the controller as two real `ignition-sync controller` processes (leader election),
// pods created through the apiserver and injected by the real admission webhook over TLS, and each injected
// sidecar run as a real `ignition-sync agent` process with exactly the environment and volumes the webhook
// injected (there is no kubelet here: the harness plays it), against one gateway simulator per pod.
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  AgentDefaults,
  ControllerPaths,
  desiredStateName,
  gatewayReportName,
  IGNITION_SYNC_FINALIZER,
  type IgnitionSyncStatus,
} from '../../src/api/index.ts';
import { type GatewaySimulator, startGatewaySimulator } from '../../src/ignition/simulator/index.ts';
import { injectionWebhookConfiguration } from '../../src/install/index.ts';
import { collectionPath, KubeClient, objectPath } from '../../src/kube/index.ts';
import { exampleRepoFiles } from '../e2e/proveit-environment.ts';
import {
  createFixtureRepo,
  type FixtureRepo,
  type GitHttpServer,
  type SshGitServer,
  startGitHttpServer,
  startSshGitServer,
} from '../harness/git-servers/index.ts';
import { createTestNamespace, issueServingCert, kubeConfigFor, waitFor } from '../harness/kube/index.ts';
import { type CliProcess, spawnCli } from '../harness/operator/cli-process.ts';
import {
  agentContainerOf,
  type InjectedPod,
  startInjectedAgent,
} from '../harness/operator/injected-agent.ts';
import { writeKubeconfigFile } from '../harness/operator/kubeconfig-file.ts';
import { type Exposition, scrapeMetrics } from '../harness/prometheus-text.ts';

const SEED = new URL('../fixtures/manifests/seed/', import.meta.url);
const WEBHOOK_KEY = 'operator-e2e-webhook-key';
const API_TOKEN = 'sync-agent:b3BlcmF0b3ItZTJlLWtleQ';
const GIT_TOKEN = 'operator-e2e-git-token';
const DATA_MOUNT = '/usr/local/bin/ignition/data';

let client: KubeClient;
let root: string;
let kubeconfig: string;
let ssh: SshGitServer;
let http: GitHttpServer;
let controllers: CliProcess[] = [];
let webhookConfigName: string;
const simulators: GatewaySimulator[] = [];
const agents: CliProcess[] = [];

interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; annotations?: Record<string, string>; uid?: string };
  spec?: Record<string, unknown>;
  status?: IgnitionSyncStatus;
}

const IGS = { apiVersion: 'sync.ignition.io/v1alpha1', plural: 'ignitionsyncs' } as const;
const PROFILES = { apiVersion: 'sync.ignition.io/v1alpha1', plural: 'syncprofiles' } as const;

async function seedDocuments(file: string): Promise<KubeObject[]> {
  const text = await readFile(new URL(file, SEED), 'utf8');
  return parseAllDocuments(text).map((d) => d.toJSON() as KubeObject);
}

async function create(namespace: string, obj: KubeObject): Promise<KubeObject> {
  const kind = obj.kind;
  const ref =
    kind === 'IgnitionSync'
      ? IGS
      : kind === 'SyncProfile'
        ? PROFILES
        : { apiVersion: 'v1', plural: `${kind.toLowerCase()}s` };
  return client.request<KubeObject>({
    method: 'POST',
    path: collectionPath({ ...ref, namespace }),
    body: { ...obj, metadata: { ...obj.metadata, namespace } },
  });
}

async function secret(namespace: string, name: string, stringData: Record<string, string>): Promise<void> {
  await client.request({
    method: 'POST',
    path: collectionPath({ apiVersion: 'v1', plural: 'secrets', namespace }),
    body: { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, stringData },
  });
}

/**
 * Creates the IgnitionSync and waits until the controller has seen it (its finalizer is on). The admission
 * webhook looks IgnitionSyncs up in the controller's cache: a pod created before the cache knows its
 * IgnitionSync is admitted without the agent (annotated `injection-skipped`), so a GitOps tool should apply
 * IgnitionSyncs in an earlier wave than the gateway pods.
 */
async function createIgnitionSync(namespace: string, obj: KubeObject): Promise<void> {
  await create(namespace, obj);
  await waitFor(`the controller saw ${namespace}/${obj.metadata.name}`, async () => {
    const igs = await client.get<{ metadata: { finalizers?: string[] } }>(
      objectPath({ ...IGS, namespace, name: obj.metadata.name }),
    );
    return igs.metadata.finalizers?.includes(IGNITION_SYNC_FINALIZER) === true;
  });
}

/** A gateway pod as the Ignition chart renders it: the gateway container mounts its data volume. */
function gatewayPod(name: string, annotations: Record<string, string>, labels: Record<string, string> = {}) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, annotations, labels },
    spec: {
      containers: [
        {
          name: 'gateway',
          image: 'inductiveautomation/ignition:8.3.2',
          volumeMounts: [{ name: 'data', mountPath: DATA_MOUNT }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
    },
  } as unknown as KubeObject;
}

async function igsStatus(namespace: string, name: string): Promise<IgnitionSyncStatus | undefined> {
  const obj = await client.get<KubeObject>(objectPath({ ...IGS, namespace, name }));
  return obj.status;
}

/** Waits until every discovered gateway of the IgnitionSync reports Synced at `commit`. */
async function waitAllSynced(namespace: string, name: string, commit: string, count: number) {
  return waitFor(
    `${namespace}/${name}: ${count} gateways Synced at ${commit.slice(0, 8)}`,
    async () => {
      const status = await igsStatus(namespace, name);
      const gateways = status?.discoveredGateways ?? [];
      const done =
        gateways.length === count && gateways.every((g) => g.syncStatus === 'Synced' && g.commit === commit);
      return done ? status : undefined;
    },
    { timeoutMs: 90_000, intervalMs: 200 },
  );
}

/** Creates the pod through the apiserver (the admission webhook injects), then runs its agent on a simulator. */
async function startGateway(
  namespace: string,
  pod: KubeObject,
): Promise<{ dataDir: string; pod: InjectedPod; startupProbeUrl: string; metricsUrl: string }> {
  const created = (await create(namespace, pod)) as unknown as InjectedPod;
  const dataDir = await mkdtemp(join(root, `${created.metadata.name}-data-`));
  const sim = await startGatewaySimulator({ dataDir, tokens: [`${API_TOKEN}:write`], scanDurationMs: 20 });
  simulators.push(sim);
  const agent = await startInjectedAgent({
    client,
    pod: created,
    root,
    volumes: { data: dataDir },
    kubeconfig,
    gatewayUrl: sim.url,
  });
  agents.push(agent.process);
  return { dataDir, pod: created, startupProbeUrl: agent.startupProbeUrl, metricsUrl: agent.metricsUrl };
}

function startController(
  identity: string,
  leaseNamespace: string,
  cert: { certFile: string; keyFile: string },
) {
  return spawnCli(
    `controller ${identity}`,
    [
      'controller',
      '--kubeconfig',
      kubeconfig,
      '--lease-namespace',
      leaseNamespace,
      '--identity',
      identity,
      '--listen',
      '127.0.0.1:0',
      '--probe-listen',
      '127.0.0.1:0',
      '--admission-listen',
      '127.0.0.1:0',
      '--cert-file',
      cert.certFile,
      '--key-file',
      cert.keyFile,
      // Short Lease timings so the standby takes over in seconds after the leader is killed.
      '--lease-duration',
      '4s',
      '--renew-deadline',
      '3s',
      '--retry-period',
      '500ms',
      '--log-level',
      'debug',
    ],
    {},
  );
}

const listening = (c: CliProcess) =>
  c
    .waitForLog('listening', (l) => l.msg === 'controller listening')
    .then((l) => ({
      webhook: String(l.webhook),
      admission: String(l.admission),
      probes: String(l.probes),
    }));

/** The report `<pod>.sync-status` of a gateway pod, once it exists. */
async function gatewayReport(namespace: string, pod: string): Promise<Record<string, unknown> | undefined> {
  const cm = await client
    .get<{ data?: Record<string, string> }>(
      objectPath({ apiVersion: 'v1', plural: 'configmaps', namespace, name: gatewayReportName(pod) }),
    )
    .catch(() => undefined);
  const text = cm?.data?.['status.json'];
  return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
}

async function postWebhook(base: string, namespace: string, name: string, ref: string): Promise<Response> {
  return fetch(`http://${base}${ControllerPaths.webhookPrefix}${namespace}/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${WEBHOOK_KEY}` },
    body: JSON.stringify({ ref }),
  });
}

let proveitRepo: FixtureRepo;
let operatorNs: string;
let admissionUrl: string;
let webhookBase: string;
let probesBase: string;
let tag200: string;

beforeAll(async () => {
  const conn = inject('kube');
  client = new KubeClient(kubeConfigFor(conn));
  root = await mkdtemp(join(tmpdir(), 'igs-operator-e2e-'));
  kubeconfig = await writeKubeconfigFile(conn, root);
  ssh = await startSshGitServer({ root: join(root, 'repos') });
  http = await startGitHttpServer({
    root: join(root, 'repos'),
    token: GIT_TOKEN,
    username: 'x-access-token',
  });
  proveitRepo = await createFixtureRepo(join(root, 'repos'), 'proveit');
  tag200 = await proveitRepo.commit(await exampleRepoFiles());
  await proveitRepo.tag('2.0.0', tag200, { annotated: true });
  operatorNs = await createTestNamespace(client, 'igs-system');
  const cert = await issueServingCert(
    { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
    root,
    'controller',
  );
  controllers = [startController('controller-a', operatorNs, cert)];
  const a = await listening(controllers[0] as CliProcess);
  webhookBase = a.webhook;
  probesBase = a.probes;
  admissionUrl = `https://${a.admission}${ControllerPaths.injectAgent}`;
  webhookConfigName = `ignition-sync-e2e-${process.pid}`;
  await client.request({
    method: 'POST',
    path: '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations',
    // Exactly what `ignition-sync manifests` installs, pointed at the controller's loopback admission server.
    body: injectionWebhookConfiguration({
      endpoint: { url: admissionUrl },
      caBundlePem: conn.caPem,
      namespace: operatorNs,
      name: webhookConfigName,
    }),
  });
});

afterAll(async () => {
  const stopped = await Promise.allSettled([...agents, ...controllers].map((p) => p.stop()));
  const hung = stopped.flatMap((r) => (r.status === 'rejected' ? [String(r.reason)] : []));
  await Promise.all(simulators.map((s) => s.close()));
  await client
    ?.request({
      method: 'DELETE',
      path: `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${webhookConfigName}`,
    })
    .catch(() => {});
  await ssh?.close();
  await http?.close();
  if (root !== undefined) await rm(root, { recursive: true, force: true });
  // Every agent and controller must stop on SIGTERM (a pod's termination), not only on SIGKILL.
  expect(hung).toEqual([]);
});

/**
 * `curl /metrics` on the leader after the ProveIt rollout: one accepted and one unauthorized delivery more
 * than before, each of the five gateways reached both published commits once (10 lags), none behind,
 * the work queue's depth is exported.
 */
async function expectControllerMetrics(ns: string, before: Exposition): Promise<void> {
  const labels = { namespace: ns, ignition_sync: 'proveit-sync' };
  const after = await waitFor('10 commit lags', async () => {
    const m = await scrapeMetrics(`http://${probesBase}/metrics`);
    return m.value('ignition_sync_commit_lag_seconds_count', labels) >= 10 ? m : undefined;
  });
  const delta = (name: string, l: Record<string, string>) => after.value(name, l) - before.value(name, l);
  expect(delta('ignition_sync_webhook_requests_total', { verdict: 'accepted' })).toBe(1);
  expect(
    delta('ignition_sync_webhook_requests_total', { verdict: 'unauthorized', reason: 'Unauthorized' }),
  ).toBe(1);
  expect(after.value('ignition_sync_commit_lag_seconds_count', labels)).toBe(10);
  expect(after.value('ignition_sync_commit_lag_seconds_sum', labels)).toBeGreaterThan(0);
  expect(after.value('ignition_sync_gateways_behind', labels)).toBe(0);
  expect(after.value('ignition_sync_gateways', { ...labels, sync_status: 'Synced' })).toBe(5);
  expect(after.types.get('ignition_sync_work_queue_depth')).toBe('gauge');
  expect(after.series('ignition_sync_work_queue_depth', { queue: 'ignitionsync' })).toHaveLength(1);
  expect(delta('ignition_sync_reconcile_total', {})).toBeGreaterThan(0);
}

describe('operator end to end', () => {
  it('injects the sidecar into annotated pods only', async () => {
    const ns = await createTestNamespace(client, 'inject');
    const [sync] = await seedDocuments('my-sync.yaml');
    if (sync === undefined) throw new Error('no my-sync seed');
    await createIgnitionSync(ns, sync);
    await secret(ns, 'git-token', { token: GIT_TOKEN });
    await secret(ns, 'ignition-api-key', { apiKey: API_TOKEN });
    const gw = await startGateway(
      ns,
      gatewayPod('gw', {
        'ignition-sync.io/inject': 'true',
        'ignition-sync.io/cr-name': 'my-sync',
        'ignition-sync.io/service-path': '.',
      }),
    );
    const annotated = gw.pod;
    const sidecar = agentContainerOf(annotated);
    expect(sidecar?.restartPolicy).toBe('Always');
    // The seed's repository is not reachable here, so nothing is published: the injected startup probe
    // keeps failing and the kubelet would not start the gateway on its empty data dir.
    expect(sidecar?.startupProbe?.httpGet?.path).toBe('/readyz');
    await waitFor(
      'the agent reports Pending',
      async () => (await gatewayReport(ns, 'gw'))?.syncStatus === 'Pending',
    );
    expect((await fetch(gw.startupProbeUrl)).status).toBe(503);
    expect(sidecar?.volumeMounts).toContainEqual(
      expect.objectContaining({ name: 'data', mountPath: AgentDefaults.dataDir }),
    );
    const plain = (await create(ns, gatewayPod('plain', {}))) as unknown as InjectedPod;
    expect(agentContainerOf(plain)).toBeUndefined();
    expect(plain.spec.initContainers ?? []).toEqual([]);
  });

  it('ProveIt: five gateways reach the tag, and one webhook call moves all five to the next tag', async () => {
    const ns = await createTestNamespace(client, 'site1');
    const [sync] = await seedDocuments('proveit-sync.yaml');
    if (sync?.spec === undefined) throw new Error('no proveit-sync seed');
    (sync.spec.git as Record<string, unknown>).repo = ssh.url('proveit');
    await secret(ns, 'git-sync-secret', {
      'ssh-privatekey': await readFile(ssh.clientKey.privateKeyFile, 'utf8'),
    });
    await secret(ns, 'sync-webhook-secret', { 'hmac-key': WEBHOOK_KEY });
    await secret(ns, 'ignition-api-key', { apiKey: API_TOKEN });
    await createIgnitionSync(ns, sync);
    for (const profile of await seedDocuments('proveit-profiles.yaml')) await create(ns, profile);
    const gateways = await Promise.all(
      [
        ['site', 'proveit-site'],
        ['area1', 'proveit-area'],
        ['area2', 'proveit-area'],
        ['area3', 'proveit-area'],
        ['area4', 'proveit-area'],
      ].map(([name, profile]) =>
        startGateway(
          ns,
          gatewayPod(name ?? '', {
            'ignition-sync.io/inject': 'true',
            'ignition-sync.io/cr-name': 'proveit-sync',
            'ignition-sync.io/sync-profile': profile ?? '',
          }),
        ),
      ),
    );
    await waitAllSynced(ns, 'proveit-sync', tag200, 5);
    // Every sidecar's startup probe passed: the kubelet would now start each gateway container.
    for (const g of gateways) expect((await fetch(g.startupProbeUrl)).status).toBe(200);
    const before = await scrapeMetrics(`http://${probesBase}/metrics`);

    const next = await proveitRepo.commit({
      'services/area/projects/area/project.json': '{"title":"Area 2.0.1"}\n',
    });
    await proveitRepo.tag('2.0.1', next, { annotated: true });
    const forged = await fetch(`http://${webhookBase}${ControllerPaths.webhookPrefix}${ns}/proveit-sync`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer not-the-key' },
      body: JSON.stringify({ ref: '2.0.1' }),
    });
    expect(forged.status).toBe(401);
    const answer = await postWebhook(webhookBase, ns, 'proveit-sync', '2.0.1');
    expect(answer.status).toBe(202);
    const status = await waitAllSynced(ns, 'proveit-sync', next, 5);
    await expectControllerMetrics(ns, before);
    // Each agent's /metrics: its two syncs (2.0.0, then 2.0.1), both Synced.
    for (const g of gateways) {
      const m = await scrapeMetrics(g.metricsUrl);
      const labels = { namespace: ns, ignition_sync: 'proveit-sync' };
      expect(m.value('ignition_sync_sync_results_total', { ...labels, reason: 'Synced' })).toBe(2);
      expect(m.value('ignition_sync_sync_duration_seconds_count', { ...labels, result: 'Synced' })).toBe(2);
    }
    expect(status.resolvedCommit).toBe(next);
    expect(status.discoveredGateways?.map((g) => g.podName).sort()).toEqual([
      'area1',
      'area2',
      'area3',
      'area4',
      'site',
    ]);
    for (const g of gateways.slice(1)) {
      expect(await readFile(join(g.dataDir, 'projects/area/project.json'), 'utf8')).toBe(
        '{"title":"Area 2.0.1"}\n',
      );
    }
    const report = await client.get<{ data: Record<string, string> }>(
      objectPath({ apiVersion: 'v1', plural: 'configmaps', namespace: ns, name: gatewayReportName('site') }),
    );
    expect(JSON.parse(report.data['status.json'] ?? '{}')).toMatchObject({
      syncStatus: 'Synced',
      commit: next,
    });
  });

  it('Public Demo: five replicas of one workload share a profile and are each tracked', async () => {
    const ns = await createTestNamespace(client, 'public-demo');
    const repo = await createFixtureRepo(join(root, 'repos'), 'publicdemo');
    const commit = await repo.commit({
      'services/ignition-frontend/projects/frontend/project.json': '{"title":"Frontend"}\n',
      'services/ignition-frontend/config/resources/core/ignition/system-properties/config.json': '{}\n',
      'services/ignition-backend/projects/backend/project.json': '{"title":"Backend"}\n',
    });
    const [sync] = await seedDocuments('demo-sync.yaml');
    if (sync?.spec === undefined) throw new Error('no demo-sync seed');
    (sync.spec.git as Record<string, unknown>).repo = ssh.url('publicdemo');
    await secret(ns, 'git-sync-secret', {
      'ssh-privatekey': await readFile(ssh.clientKey.privateKeyFile, 'utf8'),
    });
    await secret(ns, 'ignition-api-key', { apiKey: API_TOKEN });
    await createIgnitionSync(ns, sync);
    for (const profile of await seedDocuments('demo-profiles.yaml')) await create(ns, profile);
    const replicas = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        startGateway(
          ns,
          gatewayPod(
            `frontend-${i}`,
            {
              'ignition-sync.io/inject': 'true',
              'ignition-sync.io/cr-name': 'demo-sync',
              'ignition-sync.io/sync-profile': 'demo-frontend',
            },
            { 'app.kubernetes.io/name': 'frontend' },
          ),
        ),
      ),
    );
    const status = await waitAllSynced(ns, 'demo-sync', commit, 5);
    expect(status.discoveredGateways?.map((g) => [g.podName, g.name, g.profile])).toEqual(
      [0, 1, 2, 3, 4].map((i) => [`frontend-${i}`, 'frontend', 'demo-frontend']),
    );
    for (const r of replicas)
      expect(await readFile(join(r.dataDir, 'projects/frontend/project.json'), 'utf8')).toContain('Frontend');
  });

  it('Simple Single Gateway: 2-tier service-path "." without a SyncProfile, over HTTPS-style token auth', async () => {
    const ns = await createTestNamespace(client, 'default');
    const repo = await createFixtureRepo(join(root, 'repos'), 'single');
    const commit = await repo.commit({
      'projects/app/project.json': '{"title":"App"}\n',
      'config/resources/core/ignition/system-properties/config.json': '{"systemName":"single"}\n',
      'README.md': 'not synced: outside projects/ and config/resources/\n',
    });
    const [sync] = await seedDocuments('my-sync.yaml');
    if (sync?.spec === undefined) throw new Error('no my-sync seed');
    (sync.spec.git as Record<string, unknown>).repo = http.url('single');
    await secret(ns, 'git-token', { token: GIT_TOKEN });
    await secret(ns, 'ignition-api-key', { apiKey: API_TOKEN });
    await createIgnitionSync(ns, sync);
    const gw = await startGateway(
      ns,
      gatewayPod('gateway-0', {
        'ignition-sync.io/inject': 'true',
        'ignition-sync.io/cr-name': 'my-sync',
        'ignition-sync.io/service-path': '.',
      }),
    );
    const status = await waitAllSynced(ns, 'my-sync', commit, 1);
    expect(status.discoveredGateways?.[0]).toMatchObject({ servicePath: '.', syncStatus: 'Synced' });
    expect(await readFile(join(gw.dataDir, 'projects/app/project.json'), 'utf8')).toContain('App');
  });

  it('a controller killed mid-rollout: the other replica takes over and finishes it', async () => {
    const ns = await createTestNamespace(client, 'failover');
    const repo = await createFixtureRepo(join(root, 'repos'), 'failover');
    const first = await repo.commit({ 'projects/app/project.json': '{"v":1}\n' });
    await repo.tag('1.0.0', first);
    const [sync] = await seedDocuments('my-sync.yaml');
    if (sync?.spec === undefined) throw new Error('no my-sync seed');
    const spec = sync.spec as Record<string, Record<string, unknown>>;
    (spec.git as Record<string, unknown>).repo = http.url('failover');
    (spec.git as Record<string, unknown>).ref = '1.0.0';
    spec.webhook = { enabled: true, secretRef: { name: 'hook', key: 'key' } };
    await secret(ns, 'git-token', { token: GIT_TOKEN });
    await secret(ns, 'hook', { key: WEBHOOK_KEY });
    await secret(ns, 'ignition-api-key', { apiKey: API_TOKEN });
    await createIgnitionSync(ns, sync);
    const gws = await Promise.all(
      [0, 1, 2].map((i) =>
        startGateway(
          ns,
          gatewayPod(`gw-${i}`, {
            'ignition-sync.io/inject': 'true',
            'ignition-sync.io/cr-name': 'my-sync',
            'ignition-sync.io/service-path': '.',
          }),
        ),
      ),
    );
    await waitAllSynced(ns, 'my-sync', first, 3);

    const conn = inject('kube');
    const certDir = join(root, 'controller-b');
    await mkdir(certDir, { recursive: true });
    const cert = await issueServingCert(
      { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
      certDir,
      'controller-b',
    );
    const standby = startController('controller-b', operatorNs, cert);
    controllers.push(standby);
    const b = await listening(standby);
    const leader = controllers[0] as CliProcess;

    const second = await repo.commit({ 'projects/app/project.json': '{"v":2}\n' });
    await repo.tag('1.0.1', second);
    // The leader accepts the webhook and publishes the new commit; it is killed while the agents roll it out.
    expect((await postWebhook(webhookBase, ns, 'my-sync', '1.0.1')).status).toBe(202);
    const desiredPath = objectPath({
      apiVersion: 'v1',
      plural: 'configmaps',
      namespace: ns,
      name: desiredStateName('my-sync'),
    });
    await waitFor('the leader published 1.0.1', async () => {
      const cm = await client.get<{ data?: Record<string, string> }>(desiredPath);
      return (JSON.parse(cm.data?.['desired.json'] ?? '{}') as { commit?: string }).commit === second;
    });
    leader.child.kill('SIGKILL');
    await leader.exited;
    await standby.waitForLog('leading', (l) => /leading|leader/i.test(String(l.msg)), 60_000);
    // The new leader finishes the rollout: every gateway reported at the new commit, none half-synced.
    await waitAllSynced(ns, 'my-sync', second, 3);
    expect(b.webhook).not.toBe(webhookBase);
    // The new leader did not see 1.0.1 being published: it reports no lag rather than a wrong one.
    const metrics = await scrapeMetrics(`http://${b.probes}/metrics`);
    const labels = { namespace: ns, ignition_sync: 'my-sync' };
    expect(metrics.value('ignition_sync_gateways_behind', labels)).toBe(0);
    expect(metrics.value('ignition_sync_gateways', { ...labels, sync_status: 'Synced' })).toBe(3);
    expect(metrics.series('ignition_sync_commit_lag_seconds_count', labels)).toEqual([]);
    for (const g of gws) {
      expect(await readFile(join(g.dataDir, 'projects/app/project.json'), 'utf8')).toBe('{"v":2}\n');
      const state = JSON.parse(
        await readFile(join(g.dataDir, '.ignition-sync/state.json'), 'utf8'),
      ) as object;
      expect(state).toMatchObject({ phase: 'applied', commit: second });
    }
  });
});
