import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubernetesObject, V1Container, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse } from 'yaml';
import { AgentDefaults, AgentEnv, ControllerPaths, IgnitionSync } from '../../src/api/index.ts';
import { createInjectionHandler } from '../../src/controller/injection/index.ts';
import { injectionWebhookConfiguration } from '../../src/install/index.ts';
import { AdmissionServer, collectionPath, Informer, KubeClient } from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { type DocBlock, readDocBlocks } from '../harness/doc-blocks.ts';
import {
  type ControlPlaneConnection,
  createTestNamespace,
  issueServingCert,
  kubeConfigFor,
  waitFor,
} from '../harness/kube/index.ts';

// docs/integrations/ignition-helm-chart.md: the podAnnotations values it shows, put on the pod that
// Inductive Automation's `ignition` chart (0.2.1) renders, are injected with the sync agent by our admission
// webhook called by a real kube-apiserver (the webhook configuration is the one src/install builds).
// The chart itself is not rendered here (it is not vendored and nothing is fetched at test time):
// `chartGatewayPod` is the pod its statefulset.yaml produces with default values, written from that template.

const DOC = join(import.meta.dirname, '../../docs/integrations/ignition-helm-chart.md');
const SEED = join(import.meta.dirname, '../fixtures/manifests/seed');
const IGS = { apiVersion: 'sync.ignition.io/v1alpha1', plural: 'ignitionsyncs' } as const;
const webhookPath = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';
const webhookName = `ignition-sync-chart-docs-test-${process.pid}`;
const CHART = { name: 'ignition', version: '0.2.1', appVersion: '8.3.3' } as const;

let conn: ControlPlaneConnection;
let client: KubeClient;
let namespace: string;
let dir: string;
let server: AdmissionServer;
let blocks: Map<string, DocBlock>;
const stop = new AbortController();

/**
 * The gateway pod of the `ignition` chart's StatefulSet for `release` with `chartName` (the alias in an
 * umbrella chart) and default values: labels from `ignition.labels`, annotations `checksum/config` plus
 * `.Values.podAnnotations`, the chart's pod security context, the `preconfigure` init container and the
 * `gateway` container with the `data` volume at the data directory.
 */
function chartGatewayPod(release: string, chartName: string, podAnnotations: Record<string, string>): V1Pod {
  const fullname = release.includes(chartName) ? release : `${release}-${chartName}`;
  const podName = `${fullname}-0`;
  const image = `docker.io/inductiveautomation/ignition:${CHART.appVersion}`;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: podName,
      labels: {
        'helm.sh/chart': `${chartName}-${CHART.version}`,
        'app.kubernetes.io/name': chartName,
        'app.kubernetes.io/instance': release,
        'app.kubernetes.io/version': CHART.appVersion,
        'app.kubernetes.io/managed-by': 'Helm',
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': '0',
      },
      annotations: { 'checksum/config': 'e3b0c44298fc1c149afbf4c8996fb924', ...podAnnotations },
    },
    spec: {
      serviceAccountName: fullname,
      securityContext: { runAsUser: 2003, runAsGroup: 2003, fsGroup: 2003, runAsNonRoot: true },
      initContainers: [
        {
          name: 'preconfigure',
          image,
          volumeMounts: [
            { name: 'data', mountPath: '/data' },
            { name: 'config-files', mountPath: '/config/files' },
            { name: 'config-scripts', mountPath: '/config/scripts' },
          ],
        },
      ],
      containers: [
        {
          name: 'gateway',
          image,
          imagePullPolicy: 'IfNotPresent',
          volumeMounts: [
            { name: 'data', mountPath: '/usr/local/bin/ignition/data' },
            { name: 'config-scripts', mountPath: '/config/scripts', readOnly: true },
            { name: 'config-files', mountPath: '/config/files', readOnly: true },
            { name: 'secrets', mountPath: '/run/secrets/ignition', readOnly: true },
          ],
        },
      ],
      volumes: [
        { name: 'data', persistentVolumeClaim: { claimName: `data-${podName}` } },
        { name: 'config-scripts', configMap: { name: `${fullname}-config-scripts`, defaultMode: 0o755 } },
        { name: 'config-files', configMap: { name: `${fullname}-config-files`, defaultMode: 0o644 } },
        { name: 'secrets', projected: { sources: [] } },
      ],
    },
  };
}

const createPod = (pod: V1Pod, dryRun = false) =>
  client.request<V1Pod>({
    method: 'POST',
    path: collectionPath({ apiVersion: 'v1', plural: 'pods', namespace }),
    query: { dryRun: dryRun ? 'All' : undefined },
    body: pod,
  });
const agentOf = (pod: V1Pod): V1Container | undefined =>
  pod.spec?.initContainers?.find((c) => c.name === AgentDefaults.containerName);
const envOf = (c: V1Container | undefined) =>
  Object.fromEntries((c?.env ?? []).map((e) => [e.name, e.value ?? e.valueFrom?.fieldRef?.fieldPath]));
const yamlOf = <T>(id: string): T => parse(blocks.get(id)?.text ?? '') as T;

async function seedIgnitionSync(file: string): Promise<void> {
  const doc = parse(await readFile(join(SEED, file), 'utf8')) as { metadata: Record<string, unknown> };
  await client.request({
    method: 'POST',
    path: collectionPath({ ...IGS, namespace }),
    body: { ...doc, metadata: { ...doc.metadata, namespace } },
  });
}

beforeAll(async () => {
  blocks = new Map((await readDocBlocks(DOC)).map((b) => [b.id, b]));
  conn = inject('kube');
  client = new KubeClient(kubeConfigFor(conn));
  namespace = await createTestNamespace(client, 'chart-docs');
  const operatorNamespace = await createTestNamespace(client, 'igs-system');
  dir = await mkdtemp(join(tmpdir(), 'ignition-sync-chart-docs-'));
  const { certFile, keyFile } = await issueServingCert(
    { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
    dir,
    'webhook',
  );
  const informer = new Informer<KubernetesObject>({
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
    handlers: { [ControllerPaths.injectAgent]: handler },
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
  // As generated, narrowed to this test's namespace so no other test's pods reach it.
  const webhook = built.webhooks?.[0];
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
              ...(webhook?.namespaceSelector?.matchExpressions ?? []),
              { key: 'kubernetes.io/metadata.name', operator: 'In', values: [namespace] },
            ],
          },
        },
      ],
    },
  });
  const probe = yamlOf<Record<string, { podAnnotations: Record<string, string> }>>('chart-values-proveit');
  await waitFor(
    'injection webhook active',
    async () =>
      agentOf(await createPod(chartGatewayPod('probe', 'site', probe.site?.podAnnotations ?? {}), true)) !==
      undefined,
    { timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await client?.request({ method: 'DELETE', path: `${webhookPath}/${webhookName}` }).catch(() => undefined);
  stop.abort();
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

describe('docs/integrations/ignition-helm-chart.md through the real apiserver and admission webhook', () => {
  it('ProveIt umbrella values: each aliased gateway pod gets the agent with its profile, named after its alias', async () => {
    const chart = yamlOf<{ name: string; dependencies: { alias: string }[] }>('chart-umbrella');
    const values = yamlOf<Record<string, { podAnnotations: Record<string, string> }>>('chart-values-proveit');
    for (const { alias } of chart.dependencies) {
      const annotations = values[alias]?.podAnnotations ?? {};
      const pod = await createPod(chartGatewayPod(chart.name, alias, annotations));
      const agent = agentOf(pod);
      expect(agent, alias).toBeDefined();
      expect(envOf(agent)).toMatchObject({
        [AgentEnv.crName]: annotations['ignition-sync.io/cr-name'],
        [AgentEnv.syncProfile]: annotations['ignition-sync.io/sync-profile'],
        [AgentEnv.gatewayName]: alias,
        [AgentEnv.dataDir]: AgentDefaults.dataDir,
      });
      // The chart's data volume, shared with the gateway; the chart's user, so files stay the gateway's.
      expect(agent?.volumeMounts?.find((m) => m.mountPath === AgentDefaults.dataDir)?.name).toBe('data');
      expect(agent?.securityContext).toMatchObject({ runAsUser: 2003, runAsGroup: 2003, runAsNonRoot: true });
      // Appended after the chart's own init container, which seeds the data volume first.
      expect(pod.spec?.initContainers?.map((c) => c.name)).toEqual([
        'preconfigure',
        AgentDefaults.containerName,
      ]);
      expect(pod.metadata?.annotations?.['ignition-sync.io/injection-skipped']).toBeUndefined();
    }
  });

  it('single gateway, 2-tier values: the agent gets the service path and the documented gateway name', async () => {
    const values = yamlOf<{ podAnnotations: Record<string, string> }>('chart-values-single');
    const pod = await createPod(chartGatewayPod('gateway', 'ignition', values.podAnnotations));
    expect(envOf(agentOf(pod))).toMatchObject({
      [AgentEnv.crName]: 'my-sync',
      [AgentEnv.servicePath]: '.',
      [AgentEnv.gatewayName]: values.podAnnotations['ignition-sync.io/gateway-name'],
    });
    expect(envOf(agentOf(pod))[AgentEnv.syncProfile]).toBeUndefined();
  });
});
