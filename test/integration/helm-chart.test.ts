// The Helm chart (deploy/helm/ignition-sync) with the real `helm` (built from its Go module by
// testenv/build-helm.sh) and the real test apiserver: lint, schema, what `helm template` renders with default and
// non-default values, the rendered objects applied (server-side apply, strict field validation), and a real
// `helm install` / `helm upgrade` / `helm uninstall`.

import { X509Certificate } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { buildCrds } from '../../src/api/crds/index.ts';
import { buildInstallManifests } from '../../src/install/index.ts';
import { isNotFound, KubeClient } from '../../src/kube/index.ts';
import { CHART_DIR, ensureHelm, type HelmResult, runHelm } from '../harness/helm/index.ts';
import { createTestNamespace, kubeConfigFor, waitFor } from '../harness/kube/index.ts';
import { spawnCli } from '../harness/operator/cli-process.ts';

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  [field: string]: unknown;
}

interface Container {
  name: string;
  image: string;
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  resources: Record<string, Record<string, string>>;
  securityContext: Record<string, unknown>;
  volumeMounts: Array<{ name: string; mountPath: string }>;
}

interface Deployment extends K8sObject {
  spec: {
    replicas: number;
    selector: { matchLabels: Record<string, string> };
    template: {
      metadata: { labels: Record<string, string> };
      spec: {
        serviceAccountName: string;
        securityContext: Record<string, unknown>;
        containers: Container[];
        volumes: Array<{ name: string; secret?: { secretName: string } }>;
      };
    };
  };
}

interface Webhook {
  clientConfig: {
    caBundle?: string;
    service: { name: string; namespace: string; path: string; port: number };
  };
  namespaceSelector: { matchExpressions: Array<{ values: string[] }> };
  timeoutSeconds: number;
}

const DIGEST = 'sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';

/** Values a platform team would set: mirror registry by digest, 3 replicas, cert-manager, Prometheus Operator. */
const NON_DEFAULT_VALUES = {
  image: { repository: 'registry.plant.internal/ignition-sync', digest: DIGEST },
  controller: {
    replicas: 3,
    watchNamespace: 'plant-a',
    logLevel: 'debug',
    resources: { requests: { cpu: '250m', memory: '300Mi' }, limits: { memory: '1Gi' } },
  },
  leaderElection: {
    leaseName: 'plant-a-controller',
    leaseDuration: '30s',
    renewDeadline: '20s',
    retryPeriod: '4s',
  },
  podDisruptionBudget: { minAvailable: 2 },
  rbac: { secretNamespaces: ['plant-a'] },
  agent: { serviceAccounts: [{ namespace: 'plant-a', name: 'ignition' }] },
  webhook: { timeoutSeconds: 3, certificate: { mode: 'cert-manager' } },
  metrics: { serviceMonitor: { enabled: true, labels: { release: 'kube-prometheus-stack' } } },
};

let helm: string;
let stateDir: string;
let kubeconfigFile: string;
let client: KubeClient;

beforeAll(async () => {
  // A no-op when cached; a cold build (about 8 min on 2 shared cores) prints progress.
  helm = await ensureHelm();
  stateDir = await mkdtemp(join(tmpdir(), 'igs-helm-'));
  const conn = inject('kube');
  client = new KubeClient(kubeConfigFor(conn));
  kubeconfigFile = join(stateDir, 'kubeconfig');
  await writeFile(
    kubeconfigFile,
    stringify({
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
      users: [{ name: 'admin', user: { token: conn.token } }],
      contexts: [{ name: 'test', context: { cluster: 'test', user: 'admin' } }],
      'current-context': 'test',
    }),
    { mode: 0o600 },
  );
}, 20 * 60_000);

afterAll(async () => {
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
});

async function helmRun(args: readonly string[]): Promise<HelmResult> {
  return runHelm(helm, args, stateDir);
}

async function valuesFile(values: object): Promise<string> {
  const file = join(stateDir, `values-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, stringify(values));
  return file;
}

/** `helm template` → the rendered objects; fails the test with helm's stderr when it does not render. */
async function render(release: string, namespace: string, values: object = {}): Promise<K8sObject[]> {
  const result = await helmRun([
    'template',
    release,
    CHART_DIR,
    '--namespace',
    namespace,
    '--values',
    await valuesFile(values),
  ]);
  if (result.code !== 0) throw new Error(`helm template failed: ${result.stderr}`);
  return parseAllDocuments(result.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

function one<T extends K8sObject = K8sObject>(objects: readonly K8sObject[], kind: string): T {
  const found = objects.filter((o) => o.kind === kind);
  expect(
    found.map((o) => o.kind),
    `exactly one ${kind}`,
  ).toEqual([kind]);
  return found[0] as T;
}

const controllerOf = (d: Deployment): Container => {
  const [c] = d.spec.template.spec.containers;
  if (c === undefined) throw new Error('the Deployment has no container');
  return c;
};
const portOf = (c: Container, name: string): number | undefined =>
  c.ports.find((p) => p.name === name)?.containerPort;
const flag = (c: Container, name: string): string | undefined =>
  c.args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
const webhookOf = (objects: readonly K8sObject[]): Webhook => {
  const [webhook] = one<K8sObject & { webhooks: Webhook[] }>(
    objects,
    'MutatingWebhookConfiguration',
  ).webhooks;
  if (webhook === undefined) throw new Error('no webhook');
  return webhook;
};
const matches = (selector: Record<string, string>, labels: Record<string, string>): boolean =>
  Object.entries(selector).every(([k, v]) => labels[k] === v);

describe('helm lint and the values schema', () => {
  it('lints clean (--strict) with the default values and with non-default values', async () => {
    for (const extra of [[], ['--values', await valuesFile(NON_DEFAULT_VALUES)]]) {
      const result = await helmRun(['lint', '--strict', CHART_DIR, ...extra]);
      expect(result.stderr + result.stdout).toContain('1 chart(s) linted, 0 chart(s) failed');
      expect(result.code).toBe(0);
    }
  });

  it('refuses a misspelt key, a tag in the digest field and unsafe replicas, saying which', async () => {
    const typo = await helmRun(['template', 'x', CHART_DIR, '--set', 'controller.replicaz=3']);
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/replicaz/);
    const digest = await helmRun(['template', 'x', CHART_DIR, '--set', 'image.digest=latest']);
    expect(digest.code).not.toBe(0);
    expect(digest.stderr).toMatch(/digest/);
    const twoWithoutLease = await helmRun([
      'template',
      'x',
      CHART_DIR,
      '--set',
      'leaderElection.enabled=false',
    ]);
    expect(twoWithoutLease.code).not.toBe(0);
    expect(twoWithoutLease.stderr).toContain('controller.replicas > 1 needs leaderElection.enabled');
    const oneWithoutLease = await render('x', 'ops', {
      controller: { replicas: 1 },
      leaderElection: { enabled: false },
    });
    const c = controllerOf(one<Deployment>(oneWithoutLease, 'Deployment'));
    expect(c.args).toContain('--no-leader-elect');
    expect(c.args.filter((a) => a.startsWith('--lease'))).toEqual([]);
    expect(oneWithoutLease.filter((o) => o.kind === 'PodDisruptionBudget')).toEqual([]);
  });
});

describe('as a dependency of an umbrella chart', () => {
  it('renders with the parent’s global values and values under its key', async () => {
    const umbrella = join(stateDir, 'plant-platform');
    await mkdir(umbrella);
    await writeFile(
      join(umbrella, 'Chart.yaml'),
      stringify({
        apiVersion: 'v2',
        name: 'plant-platform',
        version: '1.0.0',
        dependencies: [{ name: 'ignition-sync', version: '0.1.0', repository: `file://${CHART_DIR}` }],
      }),
    );
    await writeFile(
      join(umbrella, 'values.yaml'),
      stringify({
        global: { imageRegistry: 'registry.plant.internal' },
        'ignition-sync': { controller: { replicas: 3 } },
      }),
    );
    const build = await helmRun(['dependency', 'build', umbrella]);
    expect(build.code, build.stderr).toBe(0);
    const result = await helmRun(['template', 'platform', umbrella, '--namespace', 'ops']);
    expect(result.code, result.stderr).toBe(0);
    const objects = parseAllDocuments(result.stdout)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
    expect(one<Deployment>(objects, 'Deployment').spec.replicas).toBe(3);
  });
});

describe('helm template with the default values', () => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = await render('igs', 'ops');
  });

  it('renders the operator and nothing optional', () => {
    expect(objects.map((o) => o.kind).sort()).toEqual(
      [
        'ClusterRole',
        'ClusterRole',
        'ClusterRole',
        'ClusterRoleBinding',
        'ClusterRoleBinding',
        'Deployment',
        'MutatingWebhookConfiguration',
        'PodDisruptionBudget',
        'Role',
        'RoleBinding',
        'Secret',
        'Service',
        'ServiceAccount',
      ].sort(),
    );
  });

  it('the Deployment: 2 replicas electing a leader through a Lease in the release namespace, probes on the probe port', () => {
    const deployment = one<Deployment>(objects, 'Deployment');
    const c = controllerOf(deployment);
    expect(deployment.metadata.namespace).toBe('ops');
    expect(deployment.spec.replicas).toBe(2);
    expect(c.args[0]).toBe('controller');
    expect(c.args).not.toContain('--no-leader-elect');
    expect(flag(c, '--lease-namespace')).toBe('ops');
    expect(flag(c, '--leader-election-id')).toBe('igs-ignition-sync-controller');
    expect([flag(c, '--lease-duration'), flag(c, '--renew-deadline'), flag(c, '--retry-period')]).toEqual([
      '15s',
      '10s',
      '2s',
    ]);
    expect(flag(c, '--identity')).toBe('$(POD_NAME)');
    expect(c.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'probes' });
    expect(c.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'probes' });
    expect(flag(c, '--probe-listen')).toBe(`0.0.0.0:${portOf(c, 'probes')}`);
    expect(flag(c, '--admission-listen')).toBe(`0.0.0.0:${portOf(c, 'admission')}`);
    expect(flag(c, '--listen')).toBe(`0.0.0.0:${portOf(c, 'receiver')}`);
    expect(c.image).toBe('ghcr.io/inductiveautomation/ignition-sync:0.1.0');
    expect(flag(c, '--agent-image')).toBe(c.image);
    expect(c.resources.requests).toBeDefined();
    expect(c.resources.limits?.memory).toBeDefined();
  });

  it('runs non-root with a read-only root filesystem, no capabilities and a writable /tmp', () => {
    const deployment = one<Deployment>(objects, 'Deployment');
    const c = controllerOf(deployment);
    expect(deployment.spec.template.spec.securityContext).toMatchObject({
      runAsNonRoot: true,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(deployment.spec.template.spec.securityContext.runAsUser).toBeGreaterThan(0);
    expect(c.securityContext).toEqual({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(c.volumeMounts.map((m) => m.mountPath)).toContain('/tmp');
  });

  it('the PodDisruptionBudget and the Service select exactly the controller pods', () => {
    const deployment = one<Deployment>(objects, 'Deployment');
    const podLabels = deployment.spec.template.metadata.labels;
    const pdb = one<
      K8sObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }
    >(objects, 'PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(pdb.spec.selector.matchLabels).toEqual(deployment.spec.selector.matchLabels);
    expect(matches(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
    const service = one<K8sObject & { spec: { selector: Record<string, string> } }>(objects, 'Service');
    expect(matches(service.spec.selector, podLabels)).toBe(true);
    expect(deployment.spec.template.spec.serviceAccountName).toBe(
      one(objects, 'ServiceAccount').metadata.name,
    );
  });

  it('the webhook calls the Service on 443, which reaches the admission port; the pods mount its certificate', () => {
    const deployment = one<Deployment>(objects, 'Deployment');
    const c = controllerOf(deployment);
    const service = one<
      K8sObject & { spec: { ports: Array<{ name: string; port: number; targetPort: string }> } }
    >(objects, 'Service');
    const webhook = webhookOf(objects);
    expect(webhook.clientConfig.service).toEqual({
      name: service.metadata.name,
      namespace: 'ops',
      path: '/mutate-v1-pod',
      port: 443,
    });
    expect(service.spec.ports.find((p) => p.port === 443)?.targetPort).toBe('admission');
    expect(webhook.namespaceSelector.matchExpressions[0]?.values).toContain('ops');
    const secret = one(objects, 'Secret');
    const certVolume = deployment.spec.template.spec.volumes.find(
      (v) => v.secret?.secretName === secret.metadata.name,
    );
    const mount = c.volumeMounts.find((m) => m.name === certVolume?.name);
    expect(flag(c, '--cert-file')).toBe(`${mount?.mountPath}/tls.crt`);
    expect(flag(c, '--key-file')).toBe(`${mount?.mountPath}/tls.key`);
  });

  it('the caBundle is the CA of the served certificate: a TLS client trusting only it accepts the Service name', async () => {
    const webhook = webhookOf(objects);
    const secret = one<K8sObject & { type: string; data: Record<string, string> }>(objects, 'Secret');
    expect(secret.type).toBe('kubernetes.io/tls');
    const pem = (key: string) => Buffer.from(secret.data[key] ?? '', 'base64').toString('utf8');
    expect(webhook.clientConfig.caBundle).toBe(secret.data['ca.crt']);
    const leaf = new X509Certificate(pem('tls.crt'));
    expect(leaf.verify(new X509Certificate(pem('ca.crt')).publicKey)).toBe(true);
    const host = `${webhook.clientConfig.service.name}.ops.svc`;
    expect(leaf.checkHost(host)).toBe(host);
    // What the apiserver does: TLS to the webhook, trusting the caBundle, checking the Service DNS name.
    const server = createServer({ cert: pem('tls.crt'), key: pem('tls.key') }, (_req, res) => res.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const authorized = await new Promise<boolean>((resolve, reject) => {
        const socket = connect(
          {
            host: '127.0.0.1',
            port,
            servername: host,
            ca: Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64'),
          },
          () => {
            resolve(socket.authorized);
            socket.end();
          },
        );
        socket.once('error', reject);
      });
      expect(authorized).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the chart grants and injects exactly what `ignition-sync manifests` does', () => {
  const comparable = (o: K8sObject): unknown => {
    const { metadata, ...rest } = o;
    const { labels: _labels, ...meta } = metadata;
    const body = JSON.parse(JSON.stringify(rest)) as {
      webhooks?: Array<{ clientConfig: { caBundle?: string } }>;
    };
    for (const w of body.webhooks ?? []) delete w.clientConfig.caBundle;
    return { ...body, metadata: meta };
  };
  const policyKinds = new Set([
    'ServiceAccount',
    'ClusterRole',
    'ClusterRoleBinding',
    'Role',
    'RoleBinding',
    'MutatingWebhookConfiguration',
  ]);

  it.each([
    ['the defaults', {}, {}],
    [
      'Secret access in listed namespaces and agent bindings',
      {
        rbac: { secretNamespaces: ['plant-a', 'plant-b'] },
        agent: { serviceAccounts: [{ namespace: 'plant-a', name: 'ignition' }] },
      },
      {
        secretNamespaces: ['plant-a', 'plant-b'],
        agentServiceAccounts: [{ namespace: 'plant-a', name: 'ignition' }],
      },
    ],
  ])('%s (release ignition-sync in ignition-sync-system)', async (_name, values, options) => {
    const chart = (await render('ignition-sync', 'ignition-sync-system', values)).filter((o) =>
      policyKinds.has(o.kind),
    );
    const manifests = (buildInstallManifests({ withoutCrds: true, ...options }) as K8sObject[]).filter((o) =>
      policyKinds.has(o.kind),
    );
    const key = (o: K8sObject) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(chart.map(key).sort()).toEqual(manifests.map(key).sort());
    for (const expected of manifests) {
      const actual = chart.find((o) => key(o) === key(expected));
      expect(actual === undefined ? undefined : comparable(actual), key(expected)).toEqual(
        comparable(expected),
      );
    }
  });
});

describe('the chart’s CRDs', () => {
  it('are the files of deploy/crds, byte for byte, and what the API schemas generate', async () => {
    const root = join(CHART_DIR, '..', '..', 'crds');
    const chartCrds = join(CHART_DIR, 'crds');
    const names = (await readdir(root)).sort();
    expect((await readdir(chartCrds)).sort()).toEqual(names);
    for (const name of names)
      expect(await readFile(join(chartCrds, name), 'utf8'), name).toBe(
        await readFile(join(root, name), 'utf8'),
      );
    const shown = await helmRun(['show', 'crds', CHART_DIR]);
    expect(shown.code).toBe(0);
    const crds = parseAllDocuments(shown.stdout)
      .map((d) => d.toJS() as K8sObject | null)
      .filter((o): o is K8sObject => o !== null);
    const byName = (a: K8sObject, b: K8sObject) => a.metadata.name.localeCompare(b.metadata.name);
    expect(crds.sort(byName)).toEqual((JSON.parse(JSON.stringify(buildCrds())) as K8sObject[]).sort(byName));
  });
});

describe('helm template with non-default values', () => {
  let objects: K8sObject[];
  beforeAll(async () => {
    objects = await render('plant', 'ops', NON_DEFAULT_VALUES);
  });

  it('pulls the mirror image by digest for the controller and the injected agent', () => {
    const c = controllerOf(one<Deployment>(objects, 'Deployment'));
    expect(c.image).toBe(`registry.plant.internal/ignition-sync@${DIGEST}`);
    expect(flag(c, '--agent-image')).toBe(c.image);
  });

  it('passes the replicas, resources, watched namespace and Lease settings to the controller', () => {
    const deployment = one<Deployment>(objects, 'Deployment');
    const c = controllerOf(deployment);
    expect(deployment.spec.replicas).toBe(3);
    expect(c.resources).toEqual(NON_DEFAULT_VALUES.controller.resources);
    expect(flag(c, '--namespace')).toBe('plant-a');
    expect(flag(c, '--log-level')).toBe('debug');
    expect(flag(c, '--leader-election-id')).toBe('plant-a-controller');
    expect([flag(c, '--lease-duration'), flag(c, '--renew-deadline'), flag(c, '--retry-period')]).toEqual([
      '30s',
      '20s',
      '4s',
    ]);
    const pdb = one<K8sObject & { spec: { minAvailable: number } }>(objects, 'PodDisruptionBudget');
    expect(pdb.spec.minAvailable).toBe(2);
    expect(webhookOf(objects).timeoutSeconds).toBe(3);
  });

  it('cert-manager: a Certificate for the Service names into the mounted Secret, the CA injected, no chart secret', () => {
    const certificate = one<
      K8sObject & { spec: { secretName: string; dnsNames: string[]; issuerRef: { name: string } } }
    >(objects, 'Certificate');
    const issuer = one(objects, 'Issuer');
    const service = one(objects, 'Service');
    const deployment = one<Deployment>(objects, 'Deployment');
    expect(certificate.spec.issuerRef.name).toBe(issuer.metadata.name);
    expect(certificate.spec.dnsNames).toContain(`${service.metadata.name}.ops.svc`);
    expect(deployment.spec.template.spec.volumes.map((v) => v.secret?.secretName)).toContain(
      certificate.spec.secretName,
    );
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    const configuration = one(objects, 'MutatingWebhookConfiguration');
    expect(configuration.metadata.annotations?.['cert-manager.io/inject-ca-from']).toBe(
      `ops/${certificate.metadata.name}`,
    );
    expect(webhookOf(objects).clientConfig.caBundle).toBeUndefined();
  });

  it('cert-manager with the platform’s own ClusterIssuer: no Issuer of the chart', async () => {
    const own = await render('plant', 'ops', {
      webhook: {
        certificate: {
          mode: 'cert-manager',
          certManager: { issuerRef: { name: 'plant-ca', kind: 'ClusterIssuer' } },
        },
      },
    });
    const certificate = one<K8sObject & { spec: { issuerRef: Record<string, string> } }>(own, 'Certificate');
    expect(certificate.spec.issuerRef).toEqual({
      name: 'plant-ca',
      kind: 'ClusterIssuer',
      group: 'cert-manager.io',
    });
    expect(own.filter((o) => o.kind === 'Issuer')).toEqual([]);
  });

  it('the ServiceMonitor scrapes /metrics on a port of the Service it selects, with the Prometheus release label', () => {
    const monitor = one<
      K8sObject & {
        spec: {
          selector: { matchLabels: Record<string, string> };
          endpoints: Array<{ port: string; path: string }>;
        };
      }
    >(objects, 'ServiceMonitor');
    const service = one<K8sObject & { spec: { ports: Array<{ name: string; targetPort: string }> } }>(
      objects,
      'Service',
    );
    expect(monitor.metadata.labels?.release).toBe('kube-prometheus-stack');
    expect(matches(monitor.spec.selector.matchLabels, service.metadata.labels ?? {})).toBe(true);
    const [endpoint] = monitor.spec.endpoints;
    expect(endpoint?.path).toBe('/metrics');
    expect(service.spec.ports.find((p) => p.name === endpoint?.port)?.targetPort).toBe('probes');
  });

  it('binds Secret access and the agent only in the listed namespaces', () => {
    const bindings = objects.filter((o) => o.kind === 'RoleBinding' || o.kind === 'ClusterRoleBinding');
    const secretBindings = bindings.filter((o) => o.metadata.name.endsWith('-controller-secrets'));
    expect(secretBindings.map((o) => `${o.kind}/${o.metadata.namespace}`)).toEqual(['RoleBinding/plant-a']);
    const agent = bindings.filter((o) =>
      (o as K8sObject & { roleRef: { name: string } }).roleRef.name.endsWith('-agent'),
    );
    expect(agent.map((o) => `${o.kind}/${o.metadata.namespace}`)).toEqual(['RoleBinding/plant-a']);
  });
});

// --- on the real apiserver -------------------------------------------------------------------------------------

const PLURALS: Readonly<Record<string, string>> = {
  ServiceAccount: 'serviceaccounts',
  Secret: 'secrets',
  Service: 'services',
  Deployment: 'deployments',
  PodDisruptionBudget: 'poddisruptionbudgets',
  ClusterRole: 'clusterroles',
  ClusterRoleBinding: 'clusterrolebindings',
  Role: 'roles',
  RoleBinding: 'rolebindings',
  MutatingWebhookConfiguration: 'mutatingwebhookconfigurations',
  ServiceMonitor: 'servicemonitors',
  Certificate: 'certificates',
  Issuer: 'issuers',
};
const CLUSTER_SCOPED = new Set(['ClusterRole', 'ClusterRoleBinding', 'MutatingWebhookConfiguration']);

function pathOf(o: K8sObject): string {
  const base = o.apiVersion.includes('/') ? `/apis/${o.apiVersion}` : `/api/${o.apiVersion}`;
  const ns = CLUSTER_SCOPED.has(o.kind) ? '' : `/namespaces/${o.metadata.namespace}`;
  const plural = PLURALS[o.kind];
  if (plural === undefined) throw new Error(`no plural for ${o.kind}`);
  return `${base}${ns}/${plural}/${o.metadata.name}`;
}

/**
 * The Prometheus Operator's and cert-manager's kinds, as CRDs with an open schema: the test apiserver has neither
 * operator. Applying to them proves the objects are of kinds and versions those operators serve and are well-formed
 * Kubernetes objects; their fields are checked by the render tests above, not by the real CRDs' schemas.
 */
const FOREIGN_CRDS = [
  ['monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors'],
  ['cert-manager.io', 'Certificate', 'certificates'],
  ['cert-manager.io', 'Issuer', 'issuers'],
].map(([group, kind, plural]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    scope: 'Namespaced',
    names: { kind, plural, singular: kind?.toLowerCase(), listKind: `${kind}List` },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ],
  },
}));

describe('the rendered chart on the real apiserver', () => {
  const applied: K8sObject[] = [];

  beforeAll(async () => {
    for (const crd of FOREIGN_CRDS) {
      await client
        .request({
          method: 'POST',
          path: '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
          body: crd,
        })
        .catch((e: unknown) => {
          if (!(e instanceof Error && /already exists/.test(e.message))) throw e;
        });
    }
    for (const crd of FOREIGN_CRDS)
      await waitFor(`CRD ${crd.metadata.name} established`, async () => {
        const got = await client.get<{ status?: { conditions?: Array<{ type: string; status: string }> } }>(
          `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        );
        return got.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True');
      });
  });

  afterAll(async () => {
    // Cluster-scoped objects outlive the test namespace: remove them (a stray webhook would see other tests' pods).
    for (const o of applied.filter((a) => CLUSTER_SCOPED.has(a.kind)))
      await client.request({ method: 'DELETE', path: pathOf(o) }).catch((e: unknown) => {
        if (!isNotFound(e)) throw e;
      });
    for (const crd of FOREIGN_CRDS)
      await client
        .request({
          method: 'DELETE',
          path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${crd.metadata.name}`,
        })
        .catch(() => undefined);
  });

  /** Server-side apply, strict field validation: an unknown or misplaced field is an error, not a silent drop. */
  async function apply(o: K8sObject): Promise<K8sObject> {
    applied.push(o);
    return client.request<K8sObject>({
      method: 'PATCH',
      path: pathOf(o),
      query: { fieldManager: 'helm-chart-test', force: true, fieldValidation: 'Strict' },
      contentType: 'application/apply-patch+yaml',
      body: o,
    });
  }

  it.each([
    ['default values', {}],
    ['non-default values (cert-manager, ServiceMonitor, 3 replicas, digest, resources)', NON_DEFAULT_VALUES],
  ])('every object with %s is accepted and stored as rendered', async (_name, values) => {
    const namespace = await createTestNamespace(client, 'helm');
    // Objects the values place in other namespaces (RoleBindings in plant-a) go to namespaces of this test.
    const other = await createTestNamespace(client, 'helm-plant');
    const text = JSON.stringify(values).replaceAll('plant-a', other);
    const release = `r${namespace.slice(-8)}`;
    const objects = await render(release, namespace, JSON.parse(text) as object);
    expect(objects.length).toBeGreaterThan(10);
    for (const o of objects) {
      const stored = await apply(o);
      expect(stored.metadata.name).toBe(o.metadata.name);
    }
    const deployment = one<Deployment>(objects, 'Deployment');
    const stored = await client.get<Deployment>(pathOf(deployment));
    expect(controllerOf(stored).args).toEqual(controllerOf(deployment).args);
    expect(stored.spec.replicas).toBe(deployment.spec.replicas);
    const webhook = await client.get<K8sObject & { webhooks: Webhook[] }>(
      pathOf(one(objects, 'MutatingWebhookConfiguration')),
    );
    expect(webhook.webhooks[0]?.clientConfig.caBundle).toBe(webhookOf(objects).clientConfig.caBundle);
  });
});

describe('helm install, upgrade and uninstall on the real apiserver', () => {
  let namespace: string;
  let release: string;
  beforeAll(async () => {
    namespace = await createTestNamespace(client, 'helm-install');
    release = `i${namespace.slice(-8)}`;
  });
  afterAll(async () => {
    if (release !== undefined)
      await helmRun(['uninstall', release, '--namespace', namespace, '--kubeconfig', kubeconfigFile]);
  });

  const secretAndBundle = async (): Promise<{
    ca: string | undefined;
    bundle: string | undefined;
    crt: string | undefined;
  }> => {
    const secret = await client.get<{ data: Record<string, string> }>(
      `/api/v1/namespaces/${namespace}/secrets/${release}-ignition-sync-webhook-tls`,
    );
    const webhook = await client.get<{ webhooks: Webhook[] }>(
      `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${release}-ignition-sync-injection`,
    );
    return {
      ca: secret.data['ca.crt'],
      crt: secret.data['tls.crt'],
      bundle: webhook.webhooks[0]?.clientConfig.caBundle,
    };
  };

  it('installs; an upgrade keeps the webhook certificate and its caBundle; uninstall removes the webhook', async () => {
    const common = ['--namespace', namespace, '--kubeconfig', kubeconfigFile];
    const install = await helmRun(['install', release, CHART_DIR, ...common]);
    expect(install.code, install.stderr).toBe(0);
    expect(install.stdout).toContain('STATUS: deployed');
    const first = await secretAndBundle();
    expect(first.ca).toBeDefined();
    expect(first.bundle).toBe(first.ca);

    const upgrade = await helmRun([
      'upgrade',
      release,
      CHART_DIR,
      ...common,
      '--set',
      'controller.replicas=3',
    ]);
    expect(upgrade.code, upgrade.stderr).toBe(0);
    const second = await secretAndBundle();
    expect(second).toEqual(first);
    const deployment = await client.get<Deployment>(
      `/apis/apps/v1/namespaces/${namespace}/deployments/${release}-ignition-sync-controller`,
    );
    expect(deployment.spec.replicas).toBe(3);

    const uninstall = await helmRun(['uninstall', release, ...common]);
    expect(uninstall.code, uninstall.stderr).toBe(0);
    await expect(
      client.get(
        `/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations/${release}-ignition-sync-injection`,
      ),
    ).rejects.toSatisfy(isNotFound);
    // The CRDs stay (Helm never deletes crds/): IgnitionSyncs survive an uninstall.
    await client.get(
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/ignitionsyncs.sync.ignition.io',
    );
  });
});

describe('docs/install.md works as written', () => {
  const blocks = async (): Promise<string[]> => {
    const text = await readFile(join(CHART_DIR, '..', '..', '..', 'docs', 'install.md'), 'utf8');
    return [...text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)].map(([, indent = '', body = '']) =>
      body.replace(new RegExp(`^${indent}`, 'gm'), ''),
    );
  };
  const docsOf = (yaml: string) =>
    parseAllDocuments(yaml).map((d) => d.toJS() as Record<string, unknown> & Partial<K8sObject>);

  it('its IgnitionSync and SyncProfile are accepted by the apiserver (strict, dry run)', async () => {
    const namespace = await createTestNamespace(client, 'helm-docs');
    const objects = (await Promise.all((await blocks()).map(docsOf)))
      .flat()
      .filter((o) => o.apiVersion === 'sync.ignition.io/v1alpha1');
    expect(objects.map((o) => o.kind)).toEqual(['IgnitionSync', 'SyncProfile']);
    for (const o of objects) {
      const plural = o.kind === 'IgnitionSync' ? 'ignitionsyncs' : 'syncprofiles';
      await client.request({
        method: 'POST',
        path: `/apis/sync.ignition.io/v1alpha1/namespaces/${namespace}/${plural}`,
        query: { dryRun: 'All', fieldValidation: 'Strict' },
        body: { ...o, metadata: { ...o.metadata, namespace } },
      });
    }
  });

  it('its chart values render, and the Ignition chart annotations name the IgnitionSync and SyncProfile', async () => {
    const all = (await blocks()).map(docsOf).map(([doc]) => doc ?? {});
    const chartValues = all.filter((v) => 'image' in v || 'agent' in v);
    expect(chartValues.length).toBe(2);
    for (const values of chartValues) {
      const text = JSON.stringify(values).replace('sha256:<64 hex digits>', DIGEST);
      const objects = await render('ignition-sync', 'ignition-sync-system', JSON.parse(text) as object);
      expect(objects.some((o) => o.kind === 'Deployment')).toBe(true);
    }
    const [gateway] = all.filter((v) => 'gateway' in v) as Array<{
      gateway: { podAnnotations: Record<string, string> };
    }>;
    const names = Object.fromEntries(
      (await blocks())
        .flatMap(docsOf)
        .filter((v) => v.apiVersion === 'sync.ignition.io/v1alpha1')
        .map((o) => [o.kind, o.metadata?.name]),
    );
    expect(gateway?.gateway.podAnnotations).toEqual({
      'ignition-sync.io/inject': 'true',
      'ignition-sync.io/cr-name': names.IgnitionSync,
      'ignition-sync.io/sync-profile': names.SyncProfile,
    });
  });
});

describe('the controller with the chart’s arguments', () => {
  it('both replicas start and become ready, one holds the chart’s Lease, and each serves admission with the chart’s certificate', async () => {
    const namespace = await createTestNamespace(client, 'helm-run');
    const objects = await render('plant', namespace);
    const deployment = one<Deployment>(objects, 'Deployment');
    const c = controllerOf(deployment);
    const secret = one<K8sObject & { data: Record<string, string> }>(objects, 'Secret');
    const certDir = c.volumeMounts.find((m) => m.name === 'webhook-tls')?.mountPath ?? '';
    const tlsDir = join(stateDir, `tls-${namespace}`);
    await mkdir(tlsDir);
    for (const key of ['tls.crt', 'tls.key'])
      await writeFile(join(tlsDir, key), Buffer.from(secret.data[key] ?? '', 'base64'), { mode: 0o600 });
    const kubeconfig = join(stateDir, `kubeconfig-${namespace}.json`);
    await writeFile(kubeconfig, kubeConfigFor(inject('kube')).exportConfig(), { mode: 0o600 });
    // Each pod's view, moved to this machine: addresses on 127.0.0.1 with free ports, the Secret's files in a
    // folder of the test, $(POD_NAME) expanded as the kubelet does.
    const pods = Array.from({ length: deployment.spec.replicas }, (_, i) => `plant-controller-${i}`);
    expect(pods.length).toBe(2);
    const replicas = pods.map((pod) =>
      spawnCli(
        pod,
        [
          ...c.args.map((a) =>
            a
              .replace(/^(--listen|--probe-listen|--admission-listen)=0\.0\.0\.0:\d+$/, '$1=127.0.0.1:0')
              .replace(`=${certDir}/`, `=${tlsDir}/`)
              .replace('$(POD_NAME)', pod),
          ),
          '--kubeconfig',
          kubeconfig,
        ],
        {},
      ),
    );
    try {
      const webhook = webhookOf(objects);
      for (const replica of replicas) {
        const listening = await replica.waitForLog('listening', (l) => l.msg === 'controller listening');
        // Ready without the Lease too: a rolling update (maxUnavailable 0) and the PDB count on both replicas.
        await waitFor(
          `${replica.name} readyz 200`,
          async () => (await fetch(`http://${String(listening.probes)}/readyz`)).status === 200,
        );
        // The apiserver's view of the admission server: trust only the caBundle, expect the Service's DNS name.
        const [host, port] = String(listening.admission).split(':');
        const authorized = await new Promise<boolean>((resolve, reject) => {
          const socket = connect(
            {
              host,
              port: Number(port),
              servername: `${webhook.clientConfig.service.name}.${namespace}.svc`,
              ca: Buffer.from(webhook.clientConfig.caBundle ?? '', 'base64'),
            },
            () => {
              resolve(socket.authorized);
              socket.end();
            },
          );
          socket.once('error', reject);
        });
        expect(authorized, replica.name).toBe(true);
      }
      const leaseName = flag(c, '--leader-election-id');
      const lease = await waitFor('the Lease held', async () => {
        const got = await client
          .get<{ spec: { holderIdentity?: string } }>(
            `/apis/coordination.k8s.io/v1/namespaces/${namespace}/leases/${leaseName}`,
          )
          .catch(() => undefined);
        return got?.spec.holderIdentity === undefined ? undefined : got;
      });
      expect(pods).toContain(lease.spec.holderIdentity);
    } finally {
      await Promise.all(replicas.map((r) => r.stop()));
    }
  });
});
