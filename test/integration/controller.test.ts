import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  API_VERSION,
  ConditionTypes,
  DESIRED_STATE_KEY,
  DesiredState,
  desiredStateName,
  GATEWAY_REPORT_KEY,
  type GatewayReport,
  gatewayReportName,
  IGNITION_SYNC_FINALIZER,
  IgnitionSyncAnnotations,
  type IgnitionSyncStatus,
  Labels,
  ObjectRoleLabel,
  ObjectRoles,
  PodAnnotations,
  Resources,
} from '../../src/api/index.ts';
import { type IgnitionSyncObject, parseIgnitionSync, runController } from '../../src/controller/index.ts';
import { collectionPath, isNotFound, KubeClient, objectPath } from '../../src/kube/index.ts';
import { captureLogger } from '../harness/capture-logger.ts';
import {
  createFixtureRepo,
  type FixtureRepo,
  type GitHttpServer,
  type SshGitServer,
  startGitHttpServer,
  startSshGitServer,
} from '../harness/git-servers/index.ts';
import { createTestNamespace, issueServingCert, kubeConfigFor, waitFor } from '../harness/kube/index.ts';
import { scrapeMetrics } from '../harness/prometheus-text.ts';

// The controller in-process against the real apiserver: a file:// repository with annotated tags, an
// IgnitionSync, SyncProfiles and plain annotated Pods (no kubelet: they stay Pending, which is fine). The
// test plays the agents' part by writing report ConfigMaps exactly as the contract says.

interface Meta {
  name: string;
  namespace?: string;
  uid?: string;
  generation?: number;
  resourceVersion?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<{ kind: string; name: string; uid: string; controller?: boolean }>;
}
interface Igs {
  metadata: Meta;
  spec: { git: { ref: string }; paused?: boolean };
  status?: IgnitionSyncStatus;
}
interface ConfigMap {
  metadata: Meta;
  data?: Record<string, string>;
}

const WEBHOOK_KEY = 'controller-test-webhook-key';
const GIT_TOKEN = 'controller-test-git-token-9f2c';
const IGS = 'plant';

let client: KubeClient;
let namespace: string;
let dir: string;
let repo: FixtureRepo;
let gitHttp: GitHttpServer;
let gitSsh: SshGitServer;
let scratch: string;
const commits = { v100: '', v110: '', v120: '' };
const stop = new AbortController();
let running: Promise<void>;
const captured = captureLogger();
let webhookUrl: string;
let probesUrl: string;
let admissionAddress: string;

const igsPath = (name = IGS) =>
  objectPath({ apiVersion: API_VERSION, plural: Resources.ignitionSyncs, namespace, name });
const cmPath = (name: string) => objectPath({ apiVersion: 'v1', plural: 'configmaps', namespace, name });
const getIgs = () => client.get<Igs>(igsPath());
const condition = (s: IgnitionSyncStatus | undefined, type: string) =>
  s?.conditions?.find((c) => c.type === type);

async function readDesired(): Promise<DesiredState | undefined> {
  try {
    const cm = await client.get<ConfigMap>(cmPath(desiredStateName(IGS)));
    return DesiredState.parse(JSON.parse(cm.data?.[DESIRED_STATE_KEY] ?? ''));
  } catch (e: unknown) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function create(
  plural: string,
  body: object,
  apiVersion: string = API_VERSION,
): Promise<{ metadata: Meta }> {
  return client.request({ method: 'POST', path: collectionPath({ apiVersion, plural, namespace }), body });
}

function pod(name: string, annotations: Record<string, string>, labels?: Record<string, string>) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      annotations: { [PodAnnotations.inject]: 'true', [PodAnnotations.crName]: IGS, ...annotations },
      ...(labels === undefined ? {} : { labels }),
    },
    spec: { containers: [{ name: 'gateway', image: 'registry.example.com/ignition:8.3' }] },
  };
}

/** What an agent writes: `<pod>.sync-status`, owned by its Pod, labelled with the IgnitionSync. */
async function writeReport(podName: string, content: string): Promise<void> {
  const p = await client.get<{ metadata: Meta }>(
    objectPath({ apiVersion: 'v1', plural: 'pods', namespace, name: podName }),
  );
  const body = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: gatewayReportName(podName),
      labels: { [Labels.crName]: IGS, [ObjectRoleLabel]: ObjectRoles.gatewayReport },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: podName, uid: p.metadata.uid }],
    },
    data: { [GATEWAY_REPORT_KEY]: content },
  };
  try {
    const current = await client.get<ConfigMap>(cmPath(gatewayReportName(podName)));
    await client.request({
      method: 'PUT',
      path: cmPath(gatewayReportName(podName)),
      body: { ...body, metadata: { ...body.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
  } catch (e: unknown) {
    if (!isNotFound(e)) throw e;
    await create('configmaps', body, 'v1');
  }
}

function syncedReport(podName: string, gatewayName: string, commit: string): string {
  const report: GatewayReport = {
    version: 1,
    name: gatewayName,
    podName,
    profile: 'site',
    desiredCommit: commit,
    commit,
    syncStatus: 'Synced',
    lastSyncTime: '2026-01-01T00:00:00Z',
    lastSyncDurationMs: 1200,
    filesAdded: 3,
    filesModified: 1,
    filesDeleted: 0,
  };
  return JSON.stringify(report);
}

interface ReviewAnswer {
  response: { uid: string; allowed: boolean; warnings?: string[]; patchType?: string; patch?: string };
}

/** POSTs an AdmissionReview to `/mutate-v1-pod` over TLS (the test CA signed the serving certificate). */
function postReview(address: string, review: object): Promise<ReviewAnswer> {
  const [host, port] = address.split(':');
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      {
        host,
        port: Number(port),
        path: '/mutate-v1-pod',
        method: 'POST',
        ca: inject('kube').caPem,
        headers: { 'content-type': 'application/json' },
      },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => {
          text += c.toString();
        });
        res.on('end', () => resolve(JSON.parse(text) as ReviewAnswer));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(review));
  });
}

const podReview = (uid: string, object: object) => ({
  apiVersion: 'admission.k8s.io/v1',
  kind: 'AdmissionReview',
  request: {
    uid,
    kind: { group: '', version: 'v1', kind: 'Pod' },
    resource: { group: '', version: 'v1', resource: 'pods' },
    namespace,
    operation: 'CREATE',
    object,
  },
});

const deliver = (body: object, headers: Record<string, string>) =>
  fetch(`${webhookUrl}/webhook/${namespace}/${IGS}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

beforeAll(async () => {
  client = new KubeClient(kubeConfigFor(inject('kube')));
  namespace = await createTestNamespace(client, 'controller');
  dir = await mkdtemp(join(tmpdir(), 'ignition-sync-controller-'));
  repo = await createFixtureRepo(dir, 'plant');
  commits.v100 = await repo.commit({ 'projects/area/view.json': '{"v":1}\n' });
  await repo.tag('v1.0.0', commits.v100, { annotated: true });
  commits.v110 = await repo.commit({ 'projects/area/view.json': '{"v":2}\n' });
  await repo.tag('v1.1.0', commits.v110, { annotated: true });

  await create(
    'secrets',
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'webhook' },
      data: { key: Buffer.from(`${WEBHOOK_KEY}\n`).toString('base64') },
    },
    'v1',
  );
  await create(Resources.syncProfiles, {
    apiVersion: API_VERSION,
    kind: 'SyncProfile',
    metadata: { name: 'site' },
    spec: { mappings: [{ source: 'projects', destination: 'projects' }] },
  });
  await create(Resources.ignitionSyncs, {
    apiVersion: API_VERSION,
    kind: 'IgnitionSync',
    metadata: { name: IGS },
    spec: {
      git: { repo: repo.fileUrl, ref: 'v1.0.0' },
      webhook: { enabled: true, secretRef: { name: 'webhook', key: 'key' } },
    },
  });
  await create(
    'pods',
    pod('gw-a', { [PodAnnotations.syncProfile]: 'site', [PodAnnotations.gatewayName]: 'area-a' }),
    'v1',
  );
  await create(
    'pods',
    pod('gw-b', { [PodAnnotations.syncProfile]: 'site' }, { 'app.kubernetes.io/name': 'area-b' }),
    'v1',
  );
  await create('pods', pod('gw-c', { [PodAnnotations.syncProfile]: 'later' }), 'v1');

  gitHttp = await startGitHttpServer({ root: dir, token: GIT_TOKEN });
  gitSsh = await startSshGitServer({ root: dir });
  scratch = join(dir, 'scratch');
  await mkdir(scratch);
  const conn = inject('kube');
  const serving = await issueServingCert(
    { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
    dir,
    'admission',
  );
  running = runController({
    kubeConfig: kubeConfigFor(inject('kube')),
    logger: captured.logger,
    signal: stop.signal,
    namespace,
    listen: { host: '127.0.0.1', port: 0 },
    probeListen: { host: '127.0.0.1', port: 0 },
    leaderElection: {
      namespace,
      name: 'ignition-sync-controller',
      identity: 'test-replica',
      leaseDurationMs: 4000,
      renewDeadlineMs: 3000,
      retryPeriodMs: 500,
    },
    pathEnv: process.env.PATH,
    tmpDir: scratch,
    admission: { listen: { host: '127.0.0.1', port: 0 }, ...serving },
    // Stands in for createInjectionHandler: answers with what lookupIgnitionSync found in the cache.
    admissionHandlers: (deps) => (req) => {
      const igs = deps.lookupIgnitionSync(req.namespace ?? '', IGS);
      return igs === undefined
        ? { allowed: false, code: 404, message: 'no IgnitionSync' }
        : { allowed: true, warnings: [`follows ${igs.spec.git.ref} (${igs.spec.polling.interval})`] };
    },
  });
  running.catch(() => undefined);
  const line = await waitFor(
    'the controller listening line',
    () =>
      captured
        .text()
        .split('\n')
        .filter((l) => l.includes('"controller listening"'))
        .map((l) => JSON.parse(l) as { webhook: string; probes: string; admission: string })[0],
  );
  admissionAddress = line.admission;
  webhookUrl = `http://${line.webhook}`;
  probesUrl = `http://${line.probes}`;
});

afterAll(async () => {
  stop.abort();
  await running?.catch(() => undefined);
  await gitHttp?.close();
  await gitSsh?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('ignition-sync controller on the real apiserver', () => {
  it('is ready once its caches synced', async () => {
    await waitFor('readyz 200', async () => (await fetch(`${probesUrl}/readyz`)).status === 200);
    expect((await fetch(`${probesUrl}/healthz`)).status).toBe(200);
  });

  it('resolves over HTTPS-style token auth from a Secret read through the API, once the Secret exists', async () => {
    await create(Resources.ignitionSyncs, {
      apiVersion: API_VERSION,
      kind: 'IgnitionSync',
      metadata: { name: 'private' },
      spec: {
        git: {
          repo: gitHttp.url('plant'),
          ref: 'v1.0.0',
          auth: { token: { secretRef: { name: 'git-token', key: 'token' } } },
        },
        polling: { interval: '5s' },
      },
    });
    const privatePath = igsPath('private');
    const waiting = await waitFor('Ready=False SecretMissing', async () => {
      const s = (await client.get<Igs>(privatePath)).status;
      return condition(s, ConditionTypes.Ready)?.reason === 'SecretMissing' ? s : undefined;
    });
    expect(condition(waiting, ConditionTypes.RefResolved)?.reason).toBe('SecretMissing');
    expect(condition(waiting, ConditionTypes.Stalled)).toBeUndefined();
    await create(
      'secrets',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'git-token' },
        data: { token: Buffer.from(GIT_TOKEN).toString('base64') },
      },
      'v1',
    );
    const status = await waitFor(
      'private resolved after the poll interval',
      async () => {
        const s = (await client.get<Igs>(privatePath)).status;
        return s?.resolvedCommit === commits.v100 ? s : undefined;
      },
      { timeoutMs: 15_000 },
    );
    expect(condition(status, ConditionTypes.RefResolved)?.status).toBe('True');
    expect(gitHttp.stats.authAccepted).toBeGreaterThan(0);
    const cm = await client.get<ConfigMap>(cmPath(desiredStateName('private')));
    const desired = DesiredState.parse(JSON.parse(cm.data?.[DESIRED_STATE_KEY] ?? ''));
    expect(desired.auth).toEqual({ kind: 'token', secretRef: { name: 'git-token', key: 'token' } });
    // The token lived only in a per-call directory, and nowhere in the logs or the published state.
    expect((await readdir(scratch)).filter((f) => f.startsWith('ignition-sync-cred-'))).toEqual([]);
    expect(captured.text()).not.toContain(GIT_TOKEN);
    expect(JSON.stringify(cm)).not.toContain(GIT_TOKEN);
  });

  it('resolves over SSH with a key from a Secret; without known_hosts it says host keys are not verified', async () => {
    await create(
      'secrets',
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'git-ssh' },
        data: {
          identity: (await readFile(gitSsh.clientKey.privateKeyFile)).toString('base64'),
          known_hosts: (await readFile(gitSsh.knownHostsFile)).toString('base64'),
        },
      },
      'v1',
    );
    const sshSync = (name: string, knownHosts: boolean) =>
      create(Resources.ignitionSyncs, {
        apiVersion: API_VERSION,
        kind: 'IgnitionSync',
        metadata: { name },
        spec: {
          git: {
            repo: gitSsh.url('plant'),
            ref: 'v1.1.0',
            auth: {
              sshKey: {
                secretRef: { name: 'git-ssh', key: 'identity' },
                ...(knownHosts ? { knownHostsSecretRef: { name: 'git-ssh', key: 'known_hosts' } } : {}),
              },
            },
          },
        },
      });
    await sshSync('ssh-verified', true);
    await sshSync('ssh-unverified', false);
    const resolved = (name: string) =>
      waitFor(`${name} resolved`, async () => {
        const s = (await client.get<Igs>(igsPath(name))).status;
        return s?.resolvedCommit === commits.v110 ? s : undefined;
      });
    const verified = await resolved('ssh-verified');
    expect(condition(verified, ConditionTypes.HostKeyVerificationDisabled)).toBeUndefined();
    const unverified = await resolved('ssh-unverified');
    expect(condition(unverified, ConditionTypes.HostKeyVerificationDisabled)).toMatchObject({
      status: 'True',
      reason: 'KnownHostsMissing',
    });
    expect(captured.text()).toMatch(/host key verification is disabled/);
    const cm = await client.get<ConfigMap>(cmPath(desiredStateName('ssh-unverified')));
    expect(DesiredState.parse(JSON.parse(cm.data?.[DESIRED_STATE_KEY] ?? '')).auth).toEqual({
      kind: 'ssh',
      secretRef: { name: 'git-ssh', key: 'identity' },
    });
    expect((await readdir(scratch)).filter((f) => f.startsWith('ignition-sync-cred-'))).toEqual([]);
  });

  it("publishes the tag's peeled commit with the named profile, and lists each pod", async () => {
    const desired = await waitFor('the desired state', readDesired);
    expect(desired.commit).toBe(commits.v100);
    expect(desired.ref).toBe('v1.0.0');
    expect(desired.repo).toBe(repo.fileUrl);
    expect(desired.paused).toBe(false);
    expect(desired.auth).toEqual({ kind: 'none' });
    // Defaults applied; the profile no pod can find is absent.
    expect(desired.profiles).toEqual({
      site: {
        mappings: [{ source: 'projects', destination: 'projects', type: 'dir', required: false }],
        excludePatterns: [],
        dryRun: false,
        paused: false,
        designerSessionPolicy: 'proceed',
      },
    });
    const igs = await getIgs();
    expect(igs.metadata.finalizers).toContain(IGNITION_SYNC_FINALIZER);
    const cm = await client.get<ConfigMap>(cmPath(desiredStateName(IGS)));
    expect(cm.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'IgnitionSync', name: IGS, uid: igs.metadata.uid, controller: true }),
    ]);
    expect(cm.metadata.labels).toMatchObject({
      [Labels.crName]: IGS,
      [ObjectRoleLabel]: ObjectRoles.desiredState,
      [Labels.managedBy]: 'ignition-sync',
    });

    const status = await waitFor('three discovered gateways', async () => {
      const s = (await getIgs()).status;
      return s?.discoveredGateways?.length === 3 ? s : undefined;
    });
    expect(status.discoveredGateways?.map((g) => [g.podName, g.name, g.syncStatus, g.reason])).toEqual([
      ['gw-a', 'area-a', 'Pending', undefined],
      ['gw-b', 'area-b', 'Pending', undefined],
      ['gw-c', 'gw-c', 'Failed', 'ProfileNotFound'],
    ]);
    expect(status.resolvedCommit).toBe(commits.v100);
    expect(status.gatewaySummary).toBe('0/3');
    expect(condition(status, ConditionTypes.RefResolved)?.status).toBe('True');
    expect(condition(status, ConditionTypes.Ready)?.status).toBe('False');
  });

  it('serves the injection handler over HTTPS at /mutate-v1-pod with the IgnitionSync cache', async () => {
    const review = podReview('review-1', pod('gw-new', {}));
    const answer = await postReview(admissionAddress, review);
    expect(answer.response).toEqual({ uid: 'review-1', allowed: true, warnings: ['follows v1.0.0 (60s)'] });
  });

  it('adds a profile created later to the desired state and clears the pod that named it', async () => {
    await create(Resources.syncProfiles, {
      apiVersion: API_VERSION,
      kind: 'SyncProfile',
      metadata: { name: 'later' },
      spec: { mappings: [{ source: 'projects', destination: 'projects' }], designerSessionPolicy: 'wait' },
    });
    const desired = await waitFor('profile "later" published', async () => {
      const d = await readDesired();
      return d?.profiles.later === undefined ? undefined : d;
    });
    expect(Object.keys(desired.profiles)).toEqual(['later', 'site']);
    expect(desired.profiles.later?.designerSessionPolicy).toBe('wait');
    await waitFor('gw-c Pending', async () => {
      const g = (await getIgs()).status?.discoveredGateways?.find((x) => x.podName === 'gw-c');
      return g?.syncStatus === 'Pending' && g.reason === undefined;
    });
  });

  it('folds agent reports into status: an invalid report is shown as such, all Synced turns AllGatewaysSynced True', async () => {
    await writeReport('gw-b', '{"version":1,"syncStatus":"Done"}');
    const invalid = await waitFor('gw-b report invalid', async () => {
      const g = (await getIgs()).status?.discoveredGateways?.find((x) => x.podName === 'gw-b');
      return g?.reason === 'GatewayReportInvalid' ? g : undefined;
    });
    expect(invalid.syncStatus).toBe('Failed');
    expect(invalid.error).toMatch(/gw-b\.sync-status is invalid/);

    await writeReport('gw-a', syncedReport('gw-a', 'area-a', commits.v100));
    await writeReport('gw-b', syncedReport('gw-b', 'area-b', commits.v100));
    await writeReport('gw-c', syncedReport('gw-c', 'gw-c', commits.v100));
    const status = await waitFor('AllGatewaysSynced True', async () => {
      const s = (await getIgs()).status;
      return condition(s, ConditionTypes.AllGatewaysSynced)?.status === 'True' ? s : undefined;
    });
    expect(status.syncedGatewayCount).toBe(3);
    expect(status.gatewaySummary).toBe('3/3');
    expect(status.lastSyncTime).toBe('2026-01-01T00:00:00Z');
    expect(condition(status, ConditionTypes.Ready)).toMatchObject({ status: 'True', reason: 'Succeeded' });
    // What the admission webhook's lookupIgnitionSync hands out: the stored object, status included, parses.
    const stored = await client.get<IgnitionSyncObject>(igsPath());
    expect(parseIgnitionSync(stored)?.status?.gatewaySummary).toBe('3/3');
    expect(status.discoveredGateways?.[0]).toMatchObject({
      podName: 'gw-a',
      commit: commits.v100,
      syncStatus: 'Synced',
      filesChanged: 4,
      lastSyncDuration: '1.2s',
    });
    const events = await client.get<{ items: Array<{ reason: string; involvedObject: { name: string } }> }>(
      collectionPath({ apiVersion: 'v1', plural: 'events', namespace }),
    );
    const reasons = events.items.filter((e) => e.involvedObject.name === IGS).map((e) => e.reason);
    expect(reasons).toEqual(expect.arrayContaining(['CommitPublished', 'AllSynced']));
  });

  it('a webhook delivery for a new tag moves the desired commit; the request clears once spec.git.ref catches up', async () => {
    const wrong = await deliver({ ref: 'v1.1.0' }, { authorization: 'Bearer not-the-key' });
    expect(wrong.status).toBe(401);
    const body = JSON.stringify({ ref: 'v1.1.0' });
    const signature = createHmac('sha256', WEBHOOK_KEY).update(body).digest('hex');
    const res = await fetch(`${webhookUrl}/webhook/${namespace}/${IGS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature-256': `sha256=${signature}` },
      body,
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true, ref: 'v1.1.0' });

    const desired = await waitFor('desired commit v1.1.0', async () => {
      const d = await readDesired();
      return d?.commit === commits.v110 ? d : undefined;
    });
    expect(desired.ref).toBe('v1.1.0');
    const igs = await getIgs();
    expect(igs.spec.git.ref).toBe('v1.0.0');
    expect(igs.metadata.annotations?.[IgnitionSyncAnnotations.requestedRef]).toBe('v1.1.0');
    expect(igs.metadata.annotations?.[IgnitionSyncAnnotations.requestedBy]).toMatch(/^webhook\/generic/);
    // The agents still report v1.0.0: nobody is Synced to what is published now.
    await waitFor('gateways behind the new commit', async () => {
      const s = (await getIgs()).status;
      return (
        s !== undefined &&
        s.resolvedCommit === commits.v110 &&
        s.syncedGatewayCount === 0 &&
        condition(s, ConditionTypes.AllGatewaysSynced)?.reason === 'SyncInProgress'
      );
    });

    await client.request({ method: 'PATCH', path: igsPath(), body: { spec: { git: { ref: 'v1.1.0' } } } });
    const cleared = await waitFor('requested-ref annotations removed', async () => {
      const x = await getIgs();
      return x.metadata.annotations?.[IgnitionSyncAnnotations.requestedRef] === undefined ? x : undefined;
    });
    expect(cleared.metadata.annotations?.[IgnitionSyncAnnotations.requestedAt]).toBeUndefined();
    expect((await readDesired())?.commit).toBe(commits.v110);

    const metrics = await scrapeMetrics(`${probesUrl}/metrics`);
    const plant = { ignition_sync: 'plant' };
    expect(metrics.value('ignition_sync_webhook_requests_total', { verdict: 'accepted' })).toBe(1);
    expect(
      metrics.value('ignition_sync_webhook_requests_total', {
        verdict: 'unauthorized',
        reason: 'Unauthorized',
      }),
    ).toBe(1);
    expect(
      metrics.value('ignition_sync_reconcile_duration_seconds_count', { result: 'success' }),
    ).toBeGreaterThan(0);
    expect(metrics.value('ignition_sync_gateways', { ...plant, sync_status: 'Pending' })).toBe(3);
    // None of the three gateways is at the commit published now.
    expect(metrics.value('ignition_sync_gateways_behind', plant)).toBe(3);
    expect(metrics.series('ignition_sync_work_queue_depth', { queue: 'ignitionsync' })).toHaveLength(1);
  });

  it('paused keeps the published commit while the ref moves, and releases it when unpaused', async () => {
    commits.v120 = await repo.commit({ 'projects/area/view.json': '{"v":3}\n' });
    await repo.tag('v1.2.0', commits.v120, { annotated: true });
    const patched = await client.request<Igs>({
      method: 'PATCH',
      path: igsPath(),
      body: { spec: { paused: true, git: { ref: 'v1.2.0' } } },
    });
    const status = await waitFor('Ready=False Paused at the new generation', async () => {
      const s = (await getIgs()).status;
      const ready = condition(s, ConditionTypes.Ready);
      return ready?.reason === 'Paused' && ready.observedGeneration === patched.metadata.generation
        ? s
        : undefined;
    });
    expect(status.resolvedCommit).toBe(commits.v110);
    const desired = await readDesired();
    expect(desired?.commit).toBe(commits.v110);
    expect(desired?.paused).toBe(true);
    const res = await deliver({ ref: 'v1.2.0' }, { authorization: `Bearer ${WEBHOOK_KEY}` });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ accepted: false });

    await client.request({ method: 'PATCH', path: igsPath(), body: { spec: { paused: false } } });
    const released = await waitFor('desired commit v1.2.0', async () => {
      const d = await readDesired();
      return d?.commit === commits.v120 ? d : undefined;
    });
    expect(released.paused).toBe(false);
  });

  it('releases nothing for an IgnitionSync that asks for approval, which is not built yet', async () => {
    await create(Resources.ignitionSyncs, {
      apiVersion: API_VERSION,
      kind: 'IgnitionSync',
      metadata: { name: 'gated' },
      spec: { git: { repo: repo.fileUrl, ref: 'v1.0.0' }, approval: { required: true } },
    });
    const status = await waitFor('gated Stalled', async () => {
      const s = (await client.get<Igs>(igsPath('gated'))).status;
      return condition(s, ConditionTypes.Stalled)?.status === 'True' ? s : undefined;
    });
    expect(condition(status, ConditionTypes.Ready)).toMatchObject({ status: 'False', reason: 'SpecInvalid' });
    expect(condition(status, ConditionTypes.Stalled)?.message).toMatch(/spec\.approval\.required/);
    await expect(client.get(cmPath(desiredStateName('gated')))).rejects.toMatchObject({ code: 404 });
  });

  it('deleting the IgnitionSync removes the desired ConfigMap, then the finalizer', async () => {
    await client.request({ method: 'DELETE', path: igsPath() });
    await waitFor('the IgnitionSync gone', async () => {
      try {
        await getIgs();
        return false;
      } catch (e: unknown) {
        if (isNotFound(e)) return true;
        throw e;
      }
    });
    expect(await readDesired()).toBeUndefined();
    // Reports are the agents' (owned by their Pods), not the controller's to delete.
    expect((await client.get<ConfigMap>(cmPath(gatewayReportName('gw-a')))).metadata.name).toBe(
      'gw-a.sync-status',
    );
  });

  it('releases the Lease on stop', async () => {
    stop.abort();
    await running;
    const lease = await client.get<{ spec: { holderIdentity?: string } }>(
      `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/ignition-sync-controller`,
    );
    expect(lease.spec.holderIdentity ?? '').toBe('');
  });

  it('`ignition-sync controller` as a process: one listening line, ready, SIGTERM exits 0 and releases its Lease', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    await writeFile(kubeconfig, kubeConfigFor(inject('kube')).exportConfig(), { mode: 0o600 });
    const cli = join(import.meta.dirname, '../../src/bin/cli.ts');
    const child = spawn(
      process.execPath,
      [
        cli,
        'controller',
        '--kubeconfig',
        kubeconfig,
        '--namespace',
        namespace,
        '--listen',
        '127.0.0.1:0',
        '--probe-listen',
        '127.0.0.1:0',
        '--lease-namespace',
        namespace,
        '--leader-election-id',
        'cli-controller',
        '--identity',
        'cli-replica',
        '--admission-listen',
        '127.0.0.1:0',
        '--cert-file',
        join(dir, 'admission.crt'),
        '--key-file',
        join(dir, 'admission.key'),
      ],
      { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await waitFor(
        'the listening line',
        () =>
          stderr
            .split('\n')
            .filter((l) => l.includes('"controller listening"'))
            .map((l) => JSON.parse(l) as { webhook: string; probes: string; admission: string | null })[0],
      );
      expect(line.webhook).toMatch(/^127\.0\.0\.1:\d+$/);
      await waitFor('readyz 200', async () => (await fetch(`http://${line.probes}/readyz`)).status === 200);
      // The real injection handler (createInjectionHandler) answers with a patch for an annotated pod.
      const review = podReview('review-cli', {
        apiVersion: 'v1',
        kind: 'Pod',
        spec: {
          containers: [
            {
              name: 'gateway',
              image: 'registry.example.com/ignition:8.3',
              volumeMounts: [{ name: 'data', mountPath: '/usr/local/bin/ignition/data' }],
            },
          ],
          volumes: [{ name: 'data', emptyDir: {} }],
        },
        metadata: {
          name: 'gw-cli',
          annotations: {
            [PodAnnotations.inject]: 'true',
            [PodAnnotations.crName]: 'private',
            [PodAnnotations.syncProfile]: 'site',
          },
        },
      });
      const answer = await postReview(String(line.admission), review);
      expect(answer.response).toMatchObject({ uid: 'review-cli', allowed: true, patchType: 'JSONPatch' });
      expect(Buffer.from(answer.response.patch ?? '', 'base64').toString()).toContain(
        '"ignition-sync-agent"',
      );
      const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/cli-controller`;
      await waitFor('the process leads', async () => {
        const lease = await client.get<{ spec: { holderIdentity?: string } }>(leasePath);
        return lease.spec.holderIdentity === 'cli-replica';
      });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const lease = await client.get<{ spec: { holderIdentity?: string } }>(leasePath);
      expect(lease.spec.holderIdentity ?? '').toBe('');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
