import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, V1Container, V1Pod } from '@kubernetes/client-node';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import {
  AgentDefaults,
  AgentEnv,
  ControllerPaths,
  IgnitionSync,
  PodAnnotations,
} from '../../src/api/index.ts';
import { createInjectionHandler, IGNITION_DATA_PATH } from '../../src/controller/injection/index.ts';
import {
  agentClusterRole,
  agentRoleBinding,
  buildInstallManifests,
  controllerRbac,
  InstallNames,
  injectionWebhookConfiguration,
  type ManifestObject,
} from '../../src/install/index.ts';
import {
  type AdmissionRequest,
  AdmissionServer,
  apiStatusCode,
  collectionPath,
  Informer,
  isAlreadyExists,
  KubeClient,
  objectPath,
} from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import {
  type ControlPlaneConnection,
  createTestNamespace,
  issueServingCert,
  kubeConfigFor,
  waitFor,
} from '../harness/kube/index.ts';

const SEED = join(import.meta.dirname, '../fixtures/manifests/seed');
const IGS = { apiVersion: 'sync.ignition.io/v1alpha1', plural: 'ignitionsyncs' } as const;
const webhookPath = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const webhookName = `ignition-sync-injection-test-${process.pid}`;

let conn: ControlPlaneConnection;
let client: KubeClient;
let namespace: string;
let operatorNamespace: string;
let dir: string;
let server: AdmissionServer;
let informer: Informer<KubernetesObject>;
const stop = new AbortController();
const calls: AdmissionRequest[] = [];

const podsPath = () => collectionPath({ apiVersion: 'v1', plural: 'pods', namespace });

/** A gateway pod as the Ignition chart renders it: the data volume mounted at the data directory. */
function gatewayPod(
  meta: {
    name?: string;
    generateName?: string;
    annotations?: Record<string, string>;
  },
  serviceAccountName: string | null = 'gateway',
): V1Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta, labels: { 'app.kubernetes.io/name': 'area1' } },
    spec: {
      containers: [
        {
          name: 'gateway',
          image: 'inductiveautomation/ignition:8.3.0',
          volumeMounts: [{ name: 'data', mountPath: IGNITION_DATA_PATH }],
        },
      ],
      volumes: [{ name: 'data', emptyDir: {} }],
      ...(serviceAccountName === null ? {} : { serviceAccountName }),
    },
  };
}

const createPod = (pod: V1Pod, dryRun = false) =>
  client.request<V1Pod>({
    method: 'POST',
    path: podsPath(),
    query: { dryRun: dryRun ? 'All' : undefined },
    body: pod,
  });

const proveitArea = {
  [PodAnnotations.inject]: 'true',
  [PodAnnotations.crName]: 'proveit-sync',
  [PodAnnotations.syncProfile]: 'proveit-area',
};

const agentOf = (pod: V1Pod): V1Container | undefined =>
  pod.spec?.initContainers?.find((c) => c.name === AgentDefaults.containerName);
const envOf = (c: V1Container | undefined) =>
  Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));

async function seedIgnitionSync(file: string): Promise<void> {
  const doc = parse(await readFile(join(SEED, file), 'utf8')) as { metadata: Record<string, unknown> };
  await client.request({
    method: 'POST',
    path: collectionPath({ ...IGS, namespace }),
    body: { ...doc, metadata: { ...doc.metadata, namespace } },
  });
}

beforeAll(async () => {
  conn = inject('kube');
  client = new KubeClient(kubeConfigFor(conn));
  namespace = await createTestNamespace(client, 'inject');
  operatorNamespace = await createTestNamespace(client, 'igs-system');
  dir = await mkdtemp(join(tmpdir(), 'ignition-sync-inject-'));
  const { certFile, keyFile } = await issueServingCert(
    { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
    dir,
    'webhook',
  );

  // The controller's wiring, in small: an informer cache of IgnitionSyncs behind lookupIgnitionSync.
  informer = new Informer<KubernetesObject>({
    client,
    resource: { ...IGS, namespace },
    logger: createSilentLogger(),
  });
  void informer.start(stop.signal);
  await informer.waitForSync(stop.signal);
  const handler = createInjectionHandler({
    lookupIgnitionSync: (ns, name) => {
      const parsed = IgnitionSync.safeParse(informer.get(`${ns}/${name}`));
      return parsed.success ? parsed.data : undefined;
    },
    logger: createSilentLogger(),
  });
  server = new AdmissionServer({
    certFile,
    keyFile,
    handlers: {
      [ControllerPaths.injectAgent]: (req) => {
        calls.push(req);
        return handler(req);
      },
    },
    logger: createSilentLogger(),
    host: '127.0.0.1',
    port: 0,
  });
  const port = await server.listen();

  await seedIgnitionSync('proveit-sync.yaml');
  await seedIgnitionSync('my-sync.yaml');
  await waitFor('IgnitionSyncs cached', () => informer.list().length === 2);

  const built = injectionWebhookConfiguration({
    endpoint: { url: `https://127.0.0.1:${port}${ControllerPaths.injectAgent}` },
    caBundlePem: conn.caPem,
    namespace: operatorNamespace,
    name: webhookName,
  });
  // Exactly what the generator builds, narrowed to this test's namespace so no other test's pods reach it.
  const webhook = built.webhooks?.[0];
  const selector = webhook?.namespaceSelector?.matchExpressions ?? [];
  await client.request({
    method: 'POST',
    path: webhookPath,
    body: {
      ...built,
      webhooks: [
        {
          ...webhook,
          namespaceSelector: {
            matchExpressions: [
              ...selector,
              { key: 'kubernetes.io/metadata.name', operator: 'In', values: [namespace] },
            ],
          },
        },
      ],
    },
  });
  // Webhook configurations reach the admission chain through an informer: probe with dry-run creates.
  await waitFor(
    'injection webhook active',
    async () =>
      agentOf(await createPod(gatewayPod({ name: 'probe', annotations: proveitArea }), true)) !== undefined,
    { timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await client?.request({ method: 'DELETE', path: `${webhookPath}/${webhookName}` }).catch(() => undefined);
  stop.abort();
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('sidecar injection through the real apiserver', () => {
  it('an annotated ProveIt pod is stored with the agent sidecar, its env, volumes and security context', async () => {
    const created = await createPod(gatewayPod({ name: 'area1-0', annotations: proveitArea }));
    const stored = await client.get<V1Pod>(
      objectPath({ apiVersion: 'v1', plural: 'pods', namespace, name: 'area1-0' }),
    );
    for (const pod of [created, stored]) {
      const agent = agentOf(pod);
      expect(agent).toMatchObject({
        image: 'ghcr.io/inductiveautomation/ignition-sync-agent:1.0.0',
        restartPolicy: 'Always',
        args: ['agent'],
        securityContext: {
          runAsNonRoot: true,
          readOnlyRootFilesystem: true,
          allowPrivilegeEscalation: false,
          capabilities: { drop: ['ALL'] },
          seccompProfile: { type: 'RuntimeDefault' },
        },
      });
      expect(envOf(agent)).toEqual({
        [AgentEnv.podName]: 'metadata.name',
        [AgentEnv.podNamespace]: 'metadata.namespace',
        [AgentEnv.podUid]: 'metadata.uid',
        [AgentEnv.crName]: 'proveit-sync',
        [AgentEnv.syncProfile]: 'proveit-area',
        [AgentEnv.gatewayName]: 'area1',
        [AgentEnv.dataDir]: AgentDefaults.dataDir,
        [AgentEnv.secretsDir]: AgentDefaults.secretsDir,
        [AgentEnv.workDir]: AgentDefaults.workDir,
        [AgentEnv.probeListen]: ':8099',
      });
      // The apiserver accepts and keeps the startup probe that gates the gateway container on the agent's
      // initial sync (native sidecar), on the port the agent listens on; no readiness or liveness probe.
      expect(agent?.ports).toEqual([{ name: 'igs-agent', containerPort: 8099, protocol: 'TCP' }]);
      expect(agent?.startupProbe).toMatchObject({
        httpGet: { path: '/readyz', port: 'igs-agent', scheme: 'HTTP' },
        periodSeconds: 2,
        failureThreshold: 900,
        successThreshold: 1,
      });
      expect(agent?.readinessProbe).toBeUndefined();
      expect(agent?.livenessProbe).toBeUndefined();
      const mounts = Object.fromEntries((agent?.volumeMounts ?? []).map((m) => [m.mountPath, m.name]));
      expect(mounts[AgentDefaults.dataDir]).toBe('data');
      expect(mounts[`${AgentDefaults.secretsDir}/git-sync-secret`]).toBe(
        'ignition-sync-secret-git-sync-secret',
      );
      expect(mounts[`${AgentDefaults.secretsDir}/ignition-api-key`]).toBe(
        'ignition-sync-secret-ignition-api-key',
      );
      expect(pod.spec?.volumes?.map((v) => v.name).sort()).toEqual(
        [
          'data',
          'ignition-sync-api-access',
          'ignition-sync-secret-git-sync-secret',
          'ignition-sync-secret-ignition-api-key',
          'ignition-sync-work',
        ].sort(),
      );
      expect(pod.spec?.containers.map((c) => c.name)).toEqual(['gateway']);
    }
  });

  it('a pod without the annotation is stored unchanged and the webhook is not even called', async () => {
    const before = calls.length;
    const pod = await createPod(gatewayPod({ name: 'plain' }));
    expect(pod.spec?.initContainers).toBeUndefined();
    expect(pod.spec?.volumes?.map((v) => v.name)).toEqual(['data']);
    expect(pod.metadata?.annotations).toBeUndefined();
    const notTrue = await createPod(
      gatewayPod({ name: 'inject-false', annotations: { ...proveitArea, [PodAnnotations.inject]: 'false' } }),
    );
    expect(agentOf(notTrue)).toBeUndefined();
    expect(calls.length).toBe(before);
  });

  it('a pod from generateName (a StatefulSet or Deployment template) gets the agent', async () => {
    // Without a serviceAccountName: this control plane runs no ServiceAccount admission plugin, so the
    // injection must set one itself or the apiserver rejects the projected token of the patched pod.
    const pod = await createPod(gatewayPod({ generateName: 'area2-', annotations: proveitArea }, null));
    expect(pod.spec?.serviceAccountName).toBe('default');
    expect(pod.metadata?.name).toMatch(/^area2-/);
    expect(envOf(agentOf(pod))[AgentEnv.podName]).toBe('metadata.name');
    const request = calls.at(-1);
    expect(request?.name ?? '').toBe('');
    expect(request?.namespace).toBe(namespace);
  });

  it('a 2-tier pod (service-path ".") gets IGNITION_SYNC_SERVICE_PATH and the token Secret', async () => {
    const pod = await createPod(
      gatewayPod({
        name: 'single',
        annotations: {
          [PodAnnotations.inject]: 'true',
          [PodAnnotations.crName]: 'my-sync',
          [PodAnnotations.servicePath]: '.',
        },
      }),
    );
    const env = envOf(agentOf(pod));
    expect(env[AgentEnv.servicePath]).toBe('.');
    expect(env).not.toHaveProperty(AgentEnv.syncProfile);
    expect(agentOf(pod)?.volumeMounts?.map((m) => m.mountPath)).toContain(
      `${AgentDefaults.secretsDir}/git-token`,
    );
  });

  it('a pod naming an unknown IgnitionSync starts without the agent and says why in an annotation', async () => {
    const pod = await createPod(
      gatewayPod({ name: 'orphan', annotations: { ...proveitArea, [PodAnnotations.crName]: 'nope' } }),
    );
    expect(agentOf(pod)).toBeUndefined();
    expect(pod.metadata?.annotations?.[PodAnnotations.injectionSkipped]).toMatch(
      /^IgnitionSyncNotFound: IgnitionSync .*\/nope not found/,
    );
  });
});

/** A client that acts as `user` (the test token is system:masters, which may impersonate). */
function impersonating(user: string): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'test',
        server: conn.server,
        caData: Buffer.from(conn.caPem).toString('base64'),
        skipTLSVerify: false,
      },
    ],
    users: [{ name: 'as', token: conn.token, impersonateUser: user }],
    contexts: [{ name: 'test', cluster: 'test', user: 'as' }],
    currentContext: 'test',
  });
  return new KubeClient(kc);
}

const PLURALS: Readonly<Record<string, string>> = {
  ServiceAccount: 'serviceaccounts',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
};

/** Creates the object, or replaces it when it exists (cluster-scoped roles outlive a test run). */
async function apply(obj: ManifestObject): Promise<void> {
  const ref = {
    apiVersion: obj.apiVersion ?? '',
    plural: PLURALS[obj.kind ?? ''] ?? '',
    ...(obj.metadata?.namespace === undefined ? {} : { namespace: obj.metadata.namespace }),
  };
  try {
    await client.request({ method: 'POST', path: collectionPath(ref), body: obj });
  } catch (e: unknown) {
    if (!isAlreadyExists(e)) throw e;
    const path = objectPath({ ...ref, name: obj.metadata?.name ?? '' });
    const current = await client.get<{ metadata: { resourceVersion: string } }>(path);
    await client.request({
      method: 'PUT',
      path,
      body: { ...obj, metadata: { ...obj.metadata, resourceVersion: current.metadata.resourceVersion } },
    });
  }
}

/** The HTTP status of a request: 2xx, or the apiserver's error code (403 Forbidden). */
async function statusOf(request: Promise<unknown>): Promise<number> {
  return request.then(
    () => 200,
    (e: unknown) => apiStatusCode(e) ?? -1,
  );
}

describe('the generated install manifests', () => {
  it('every object `ignition-sync manifests` prints (Service endpoint, CEL match conditions) passes apiserver validation', async () => {
    const objects = buildInstallManifests({
      namespace: operatorNamespace,
      withoutCrds: true,
      agentServiceAccounts: [{ namespace, name: 'gateway' }],
      secretNamespaces: [namespace],
    }).filter((o) => o.kind !== 'Namespace');
    expect(objects.map((o) => o.kind)).toContain('MutatingWebhookConfiguration');
    for (const obj of objects) {
      const ref = {
        apiVersion: obj.apiVersion ?? '',
        plural: PLURALS[obj.kind ?? ''] ?? '',
        ...(obj.metadata?.namespace === undefined ? {} : { namespace: obj.metadata.namespace }),
      };
      // dryRun=All: validated and admitted like a real create, but nothing is stored.
      const renamed =
        obj.kind === 'MutatingWebhookConfiguration'
          ? { ...obj, metadata: { ...obj.metadata, name: `${webhookName}-dry` } }
          : obj;
      await expect(
        client.request({
          method: 'POST',
          path: collectionPath(ref),
          query: { dryRun: 'All' },
          body: renamed,
        }),
        `${obj.kind} ${obj.metadata?.name}`,
      ).resolves.toMatchObject({ kind: obj.kind });
    }
  });
});

describe('generated RBAC on the real apiserver (least privilege, checked by impersonation)', () => {
  let agent: KubeClient;
  let controller: KubeClient;
  const configMap = (name: string, ns: string) => ({
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name, namespace: ns },
    data: { k: 'v' },
  });
  const cmPath = (ns: string) => collectionPath({ apiVersion: 'v1', plural: 'configmaps', namespace: ns });

  beforeAll(async () => {
    for (const obj of controllerRbac({ namespace: operatorNamespace })) await apply(obj);
    await apply(agentClusterRole());
    await apply({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'gateway', namespace } });
    await apply(agentRoleBinding({ namespace, name: 'gateway' }));
    await client.request({
      method: 'POST',
      path: collectionPath({ apiVersion: 'v1', plural: 'secrets', namespace }),
      body: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'git-sync-secret' },
        stringData: { 'ssh-privatekey': 'x' },
      },
    });
    agent = impersonating(`system:serviceaccount:${namespace}:gateway`);
    controller = impersonating(
      `system:serviceaccount:${operatorNamespace}:${InstallNames.controllerServiceAccount}`,
    );
    // RBAC objects reach the authorizer through its informers: wait until the agent's binding works.
    await waitFor(
      'agent RoleBinding effective',
      async () => (await statusOf(agent.get(cmPath(namespace)))) === 200,
    );
    await waitFor(
      'controller binding effective',
      async () => (await statusOf(controller.get('/api/v1/pods'))) === 200,
    );
  });

  it('the agent can read, create and update ConfigMaps in its namespace', async () => {
    const created = await agent.request<{ metadata: { resourceVersion: string } }>({
      method: 'POST',
      path: cmPath(namespace),
      body: configMap('area1-0.sync-status', namespace),
    });
    const path = objectPath({
      apiVersion: 'v1',
      plural: 'configmaps',
      namespace,
      name: 'area1-0.sync-status',
    });
    expect(await statusOf(agent.get(path))).toBe(200);
    const updated = {
      ...configMap('area1-0.sync-status', namespace),
      metadata: { name: 'area1-0.sync-status', namespace, resourceVersion: created.metadata.resourceVersion },
      data: { k: 'w' },
    };
    expect(await statusOf(agent.request({ method: 'PUT', path, body: updated }))).toBe(200);
  });

  it('the agent cannot read Secrets or pods, delete ConfigMaps, or touch another namespace', async () => {
    const secret = objectPath({ apiVersion: 'v1', plural: 'secrets', namespace, name: 'git-sync-secret' });
    expect(await statusOf(agent.get(secret))).toBe(403);
    expect(await statusOf(agent.get(collectionPath({ apiVersion: 'v1', plural: 'pods', namespace })))).toBe(
      403,
    );
    const cm = objectPath({ apiVersion: 'v1', plural: 'configmaps', namespace, name: 'area1-0.sync-status' });
    expect(await statusOf(agent.request({ method: 'DELETE', path: cm }))).toBe(403);
    expect(
      await statusOf(
        agent.request({
          method: 'POST',
          path: cmPath(operatorNamespace),
          body: configMap('x', operatorNamespace),
        }),
      ),
    ).toBe(403);
    expect(await statusOf(agent.get(collectionPath({ ...IGS, namespace })))).toBe(403);
  });

  it('the controller can list pods, read IgnitionSyncs and get (not list) a Secret', async () => {
    expect(await statusOf(controller.get('/api/v1/pods'))).toBe(200);
    expect(await statusOf(controller.get(objectPath({ ...IGS, namespace, name: 'proveit-sync' })))).toBe(200);
    expect(await statusOf(controller.get(collectionPath(IGS)))).toBe(200);
    expect(
      await statusOf(
        controller.get(
          objectPath({ apiVersion: 'v1', plural: 'secrets', namespace, name: 'git-sync-secret' }),
        ),
      ),
    ).toBe(200);
    expect(
      await statusOf(controller.get(collectionPath({ apiVersion: 'v1', plural: 'secrets', namespace }))),
    ).toBe(403);
  });

  it('the controller holds its Lease only in its own namespace and never writes pods', async () => {
    const lease = (ns: string) => ({
      method: 'POST' as const,
      path: collectionPath({ apiVersion: 'coordination.k8s.io/v1', plural: 'leases', namespace: ns }),
      body: {
        apiVersion: 'coordination.k8s.io/v1',
        kind: 'Lease',
        metadata: { name: 'ignition-sync-controller' },
        spec: {},
      },
    });
    expect(await statusOf(controller.request(lease(operatorNamespace)))).toBe(200);
    expect(await statusOf(controller.request(lease(namespace)))).toBe(403);
    expect(
      await statusOf(
        controller.request({ method: 'POST', path: podsPath(), body: gatewayPod({ name: 'by-controller' }) }),
      ),
    ).toBe(403);
  });
});
