import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { memoryIo } from '../../test/harness/memory-io.ts';
import { runCli } from './program.ts';

interface Doc {
  kind: string;
  metadata: { name: string; namespace?: string };
  subjects?: { namespace: string; name: string }[];
  webhooks?: { clientConfig: { url?: string; caBundle?: string; service?: { namespace: string } } }[];
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'manifests-'));
  await writeFile(join(dir, 'ca.crt'), '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function manifests(args: readonly string[]) {
  const io = memoryIo(dir, { env: {} });
  const code = await runCli(['manifests', ...args], io.io);
  const docs =
    code === 0
      ? parseAllDocuments(io.stdout())
          .map((d) => d.toJS() as Doc)
          .filter((d) => d !== null)
      : [];
  return { code, docs, stderr: io.stderr() };
}

describe('ignition-sync manifests', () => {
  it('prints the CRDs, RBAC and the webhook configuration as multi-document YAML', async () => {
    const { code, docs } = await manifests([]);
    expect(code).toBe(0);
    expect(docs.map((d) => d.kind)).toEqual([
      'CustomResourceDefinition',
      'CustomResourceDefinition',
      'Namespace',
      'ServiceAccount',
      'ClusterRole',
      'ClusterRoleBinding',
      'ClusterRole',
      'ClusterRoleBinding',
      'Role',
      'RoleBinding',
      'ClusterRole',
      'MutatingWebhookConfiguration',
    ]);
    expect(docs.at(-1)?.webhooks?.[0]?.clientConfig.service?.namespace).toBe('ignition-sync-system');
  });

  it('--namespace, --webhook-url, --ca-bundle-file, --secret-namespace and --agent-service-account shape it', async () => {
    const { code, docs } = await manifests([
      '--namespace',
      'ops',
      '--webhook-url',
      'https://10.0.0.5:9443/mutate-v1-pod',
      '--ca-bundle-file',
      'ca.crt',
      '--secret-namespace',
      'site1',
      '--agent-service-account',
      'site1/ignition',
      '--no-crds',
    ]);
    expect(code).toBe(0);
    expect(docs.some((d) => d.kind === 'CustomResourceDefinition')).toBe(false);
    const webhook = docs.find((d) => d.kind === 'MutatingWebhookConfiguration');
    expect(webhook?.webhooks?.[0]?.clientConfig.url).toBe('https://10.0.0.5:9443/mutate-v1-pod');
    expect(Buffer.from(webhook?.webhooks?.[0]?.clientConfig.caBundle ?? '', 'base64').toString()).toContain(
      'BEGIN CERTIFICATE',
    );
    const secretsBinding = docs.find(
      (d) => d.metadata.name === 'ignition-sync-controller-secrets' && d.kind !== 'ClusterRole',
    );
    expect(secretsBinding).toMatchObject({ kind: 'RoleBinding', metadata: { namespace: 'site1' } });
    expect(docs.find((d) => d.metadata.name === 'ignition-sync-agent-ignition')).toMatchObject({
      kind: 'RoleBinding',
      metadata: { namespace: 'site1' },
      subjects: [{ namespace: 'site1', name: 'ignition' }],
    });
    expect(docs.find((d) => d.kind === 'ServiceAccount')?.metadata.namespace).toBe('ops');
  });

  it.each([
    [['--webhook-url', 'http://x/mutate'], 'https://'],
    [['--webhook-url', 'https://x', '--service-name', 'y'], 'mutually exclusive'],
    [['--ca-bundle-file', 'missing.crt'], 'missing.crt'],
    [['--agent-service-account', 'no-slash'], '<namespace>/<serviceaccount>'],
    [['--service-port', '99999'], 'port'],
  ])('refuses %j with exit 2', async (args, message) => {
    const { code, stderr } = await manifests(args);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
