import type { X509Certificate } from 'node:crypto';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  type AdmissionDecision,
  type AdmissionRequest,
  AdmissionServer,
  collectionPath,
  jsonPointerSegment,
  KubeApiError,
  KubeClient,
  objectPath,
} from '../../src/kube/index.ts';
import { createSilentLogger } from '../../src/observability/index.ts';
import { createTestNamespace, issueServingCert, kubeConfigFor, waitFor } from '../harness/kube/index.ts';

const LABEL = 'ignition-sync.io/mutated';

interface Pod {
  metadata: { name: string; labels?: Record<string, string> };
}

/** Pure test handler: labels every pod; denies pods labelled deny=true. */
function mutatePod(calls: AdmissionRequest[]) {
  return (req: AdmissionRequest): AdmissionDecision => {
    calls.push(req);
    const pod = req.object as Pod | undefined;
    const labels = pod?.metadata.labels;
    if (labels?.deny === 'true')
      return { allowed: false, code: 403, message: 'metadata.labels.deny: denied by the test webhook' };
    const patch =
      labels === undefined
        ? [{ op: 'add' as const, path: '/metadata/labels', value: { [LABEL]: 'true' } }]
        : [{ op: 'add' as const, path: `/metadata/labels/${jsonPointerSegment(LABEL)}`, value: 'true' }];
    return { allowed: true, patch };
  };
}

let client: KubeClient;
let namespace: string;
let dir: string;
let server: AdmissionServer;
let certFile: string;
let keyFile: string;
const calls: AdmissionRequest[] = [];
const webhookName = `ignition-sync-test-${process.pid}`;
const webhookPath = '/apis/admissionregistration.k8s.io/v1/mutatingwebhookconfigurations';

function podBody(name: string, labels?: Record<string, string>): unknown {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(labels === undefined ? {} : { labels }) },
    spec: { containers: [{ name: 'c', image: 'registry.example.com/pause:3.10' }] },
  };
}

const createPod = (name: string, options: { dryRun?: boolean; labels?: Record<string, string> } = {}) =>
  client.request<Pod>({
    method: 'POST',
    path: collectionPath({ apiVersion: 'v1', plural: 'pods', namespace }),
    query: { dryRun: options.dryRun === true ? 'All' : undefined },
    body: podBody(name, options.labels),
  });

beforeAll(async () => {
  const conn = inject('kube');
  client = new KubeClient(kubeConfigFor(conn));
  namespace = await createTestNamespace(client, 'webhook');
  dir = await mkdtemp(join(tmpdir(), 'ignition-sync-webhook-'));
  ({ certFile, keyFile } = await issueServingCert(
    { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
    dir,
    'webhook',
  ));
  server = new AdmissionServer({
    certFile,
    keyFile,
    handlers: { '/mutate-pod': mutatePod(calls) },
    logger: createSilentLogger(),
    host: '127.0.0.1',
    port: 0,
    certPollMs: 100,
  });
  const port = await server.listen();
  await client.request({
    method: 'POST',
    path: webhookPath,
    body: {
      apiVersion: 'admissionregistration.k8s.io/v1',
      kind: 'MutatingWebhookConfiguration',
      metadata: { name: webhookName },
      webhooks: [
        {
          name: 'pods.test.ignition-sync.io',
          clientConfig: {
            url: `https://127.0.0.1:${port}/mutate-pod`,
            caBundle: Buffer.from(conn.caPem).toString('base64'),
          },
          rules: [{ operations: ['CREATE'], apiGroups: [''], apiVersions: ['v1'], resources: ['pods'] }],
          // Only this test's namespace: the webhook must never affect other tests.
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          failurePolicy: 'Fail',
          timeoutSeconds: 5,
        },
      ],
    },
  });
  // Webhook configurations reach the admission chain through an informer: probe with dry-run creates.
  await waitFor(
    'webhook active',
    async () => (await createPod('probe', { dryRun: true })).metadata.labels?.[LABEL] === 'true',
    { timeoutMs: 30_000 },
  );
});

afterAll(async () => {
  await client?.request({ method: 'DELETE', path: `${webhookPath}/${webhookName}` }).catch(() => undefined);
  await server?.close();
  if (dir !== undefined) await rm(dir, { recursive: true, force: true });
});

function servedCertificate(port: number): Promise<X509Certificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => {
      const raw = socket.getPeerX509Certificate();
      socket.end();
      if (raw === undefined) reject(new Error('no peer certificate'));
      else resolve(raw);
    });
    socket.once('error', reject);
  });
}

describe('mutating admission webhook served by AdmissionServer', () => {
  it('the real apiserver calls it for a pod create and stores the mutation', async () => {
    const before = calls.filter((c) => c.dryRun !== true).length;
    const pod = await createPod('mutated', { labels: { app: 'x' } });
    expect(pod.metadata.labels).toEqual({ app: 'x', [LABEL]: 'true' });
    const stored = await client.get<Pod>(
      objectPath({ apiVersion: 'v1', plural: 'pods', namespace, name: 'mutated' }),
    );
    expect(stored.metadata.labels?.[LABEL]).toBe('true');
    const real = calls.filter((c) => c.dryRun !== true);
    expect(real.length).toBe(before + 1);
    expect(real.at(-1)).toMatchObject({ operation: 'CREATE', namespace, kind: { kind: 'Pod' } });
  });

  it('a denial reaches the user with the handler’s message', async () => {
    const error = await createPod('denied', { labels: { deny: 'true' } }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    expect((error as KubeApiError).code).toBe(403);
    expect((error as KubeApiError).message).toContain('metadata.labels.deny: denied by the test webhook');
  });

  it('reloads a rotated certificate without a restart and the apiserver keeps calling it', async () => {
    const port = await server.listen();
    const oldCert = await servedCertificate(port);
    const reloadsBefore = server.reloads;
    // Rotate like a Secret volume update: write the new pair elsewhere, then rename over the old files.
    const conn = inject('kube');
    const next = await issueServingCert(
      { certFile: conn.caCertFile, keyFile: conn.caKeyFile, certPem: conn.caPem },
      dir,
      'webhook-next',
    );
    await rename(next.keyFile, keyFile);
    await rename(next.certFile, certFile);
    await waitFor('certificate reloaded', () => server.reloads > reloadsBefore);
    const newCert = await waitFor('new certificate served', async () => {
      const served = await servedCertificate(port);
      return served.fingerprint256 !== oldCert.fingerprint256 ? served : undefined;
    });
    expect(newCert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    const pod = await createPod('after-rotation');
    expect(pod.metadata.labels?.[LABEL]).toBe('true');
  });
});
