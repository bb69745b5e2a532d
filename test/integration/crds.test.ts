import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { API_VERSION, parseManifests } from '../../src/api/index.ts';
import { collectionPath, KubeApiError, KubeClient } from '../../src/kube/index.ts';
import { createTestNamespace, kubeConfigFor } from '../harness/kube/index.ts';

const FIXTURES = join(import.meta.dirname, '../fixtures/manifests');
const PLURALS: Record<string, string> = { IgnitionSync: 'ignitionsyncs', SyncProfile: 'syncprofiles' };

/** Every IgnitionSync/SyncProfile example of the seed document (A's verbatim copies) plus the composed ones. */
const EXAMPLE_FILES = [
  'seed/demo-profiles.yaml',
  'seed/demo-sync.yaml',
  'seed/kustomize-base-area.yaml',
  'seed/my-sync.yaml',
  'seed/proveit-profiles.yaml',
  'seed/proveit-sync.yaml',
  'seed/single-gw-profile.yaml',
  'composed/enterprise-sync.yaml',
  'composed/kustomize-overlay-site1.yaml',
];

interface StoredObject {
  metadata: { name: string; namespace: string; generation?: number };
  spec: Record<string, unknown>;
}

let client: KubeClient;
let namespace: string;

beforeAll(async () => {
  // A product CRD the apiserver refused at setup fails these tests with the server's own message.
  const rejected = Object.entries(inject('kubeCrdErrors')).filter(([name]) =>
    name.endsWith('.sync.ignition.io'),
  );
  if (rejected.length > 0)
    throw new Error(`CRDs rejected by the apiserver: ${rejected.map(([n, m]) => `${n}: ${m}`).join('; ')}`);
  client = new KubeClient(kubeConfigFor(inject('kube')));
  namespace = await createTestNamespace(client, 'crds');
});

async function create(
  kind: string,
  object: Record<string, unknown>,
  dryRun = false,
  ns = namespace,
): Promise<StoredObject> {
  const plural = PLURALS[kind] ?? `${kind.toLowerCase()}s`;
  const metadata = { ...(object.metadata as Record<string, unknown>), namespace: ns };
  return client.request<StoredObject>({
    method: 'POST',
    path: collectionPath({ apiVersion: API_VERSION, plural, namespace: ns }),
    query: { dryRun: dryRun ? 'All' : undefined, fieldValidation: 'Strict' },
    body: { ...object, metadata },
  });
}

const validSync = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: API_VERSION,
  kind: 'IgnitionSync',
  metadata: { name: 'invalid-sync' },
  spec: {
    git: { repo: 'https://git.example.com/plant/ignition.git', ref: 'main' },
    gateway: { apiKeySecretRef: { name: 'ignition-api-key', key: 'apiKey' } },
    ...spec,
  },
});
const validProfile = (spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: API_VERSION,
  kind: 'SyncProfile',
  metadata: { name: 'invalid-profile' },
  spec: { mappings: [{ source: 'projects', destination: 'projects' }], ...spec },
});

describe('seed examples on the real apiserver', () => {
  it.each(EXAMPLE_FILES)(
    '%s is accepted and the server fills in the same defaults as the client',
    async (file) => {
      const text = readFileSync(join(FIXTURES, file), 'utf8');
      const { documents, issues } = parseManifests(text, file);
      expect(issues).toEqual([]);
      expect(documents.length).toBeGreaterThan(0);
      const raw = parseAllDocuments(text).map((d) => d.toJS() as Record<string, unknown>);
      const ns = await createTestNamespace(client, 'seed');
      for (const [i, doc] of documents.entries()) {
        const input = raw[i];
        if (input === undefined) throw new Error(`document ${i} missing`);
        // Send the example as the user wrote it; the CRD's structural defaults must add what the client adds.
        const stored = await create(doc.kind, input, false, ns);
        expect(stored.metadata.generation).toBe(1);
        const expected = (doc.object as unknown as StoredObject).spec;
        expect({ kind: doc.kind, name: doc.name, spec: stored.spec }).toEqual({
          kind: doc.kind,
          name: doc.name,
          spec: expected,
        });
      }
    },
  );

  it('server defaults: mapping type dir and required false, sync paused false, default exclude patterns', async () => {
    const profile = await create('SyncProfile', {
      apiVersion: API_VERSION,
      kind: 'SyncProfile',
      metadata: { name: 'defaults-profile' },
      spec: { mappings: [{ source: 'projects', destination: 'projects' }] },
    });
    expect(profile.spec.mappings).toEqual([
      { source: 'projects', destination: 'projects', type: 'dir', required: false },
    ]);
    const sync = await create('IgnitionSync', { ...validSync({}), metadata: { name: 'defaults-sync' } });
    expect(sync.spec).toMatchObject({
      paused: false,
      excludePatterns: ['**/.git/', '**/.gitkeep'],
      polling: { enabled: true },
    });
  });
});

/** [description, object, field path the server's message must name, further text it must contain] */
const INVALID_CASES: ReadonlyArray<readonly [string, Record<string, unknown>, string, string]> = [
  [
    'repo URL with credentials',
    validSync({ git: { repo: 'https://user:secret@git.example.com/x.git', ref: 'main' } }),
    'spec.git.repo',
    'credentials',
  ],
  [
    'repo that is not a URL',
    validSync({ git: { repo: 'not a url', ref: 'main' } }),
    'spec.git.repo',
    'should match',
  ],
  [
    'git ref with ..',
    validSync({ git: { repo: 'https://git.example.com/x.git', ref: 'main..dev' } }),
    'spec.git.ref',
    'valid git branch',
  ],
  [
    'missing git',
    { ...validSync({}), spec: { gateway: { apiKeySecretRef: { name: 'k', key: 'apiKey' } } } },
    'spec.git',
    'Required value',
  ],
  [
    'sshKey and token together',
    validSync({
      git: {
        repo: 'git@github.com:org/repo.git',
        ref: 'main',
        auth: {
          sshKey: { secretRef: { name: 's', key: 'k' } },
          token: { secretRef: { name: 't', key: 'k' } },
        },
      },
    }),
    'spec.git.auth',
    'mutually exclusive',
  ],
  ['webhook enabled without secret', validSync({ webhook: { enabled: true } }), 'spec.webhook', 'secretRef'],
  [
    'polling interval below 5s',
    validSync({ polling: { interval: '1s' } }),
    'spec.polling.interval',
    'at least 5s',
  ],
  [
    'gateway port out of range',
    validSync({ gateway: { port: 70000, apiKeySecretRef: { name: 'k', key: 'apiKey' } } }),
    'spec.gateway.port',
    '65535',
  ],
  [
    'unknown image pull policy',
    validSync({ agent: { image: { repository: 'ghcr.io/x/agent', pullPolicy: 'Sometimes' } } }),
    'spec.agent.image.pullPolicy',
    'Unsupported value',
  ],
  [
    'zero concurrent syncs',
    validSync({ rateLimit: { maxConcurrentSyncs: 0 } }),
    'spec.rateLimit.maxConcurrentSyncs',
    'greater than or equal to 1',
  ],
  [
    'mapping source escaping the repo',
    validProfile({ mappings: [{ source: '../etc', destination: 'projects' }] }),
    'spec.mappings[0].source',
    '',
  ],
  [
    'mapping of unknown type',
    validProfile({ mappings: [{ source: 'a', destination: 'b', type: 'symlink' }] }),
    'spec.mappings[0].type',
    'Unsupported value',
  ],
  [
    'mapping without destination',
    validProfile({ mappings: [{ source: 'a' }] }),
    'spec.mappings[0].destination',
    'Required value',
  ],
  [
    'reserved deployment mode name',
    validProfile({ deploymentMode: { name: 'core', source: 'modes/core' } }),
    'spec.deploymentMode.name',
    '',
  ],
  ['unknown field (strict validation)', validProfile({ mapings: [] }), 'spec.mapings', 'unknown field'],
];

describe('invalid objects are rejected by the real apiserver, naming the field', () => {
  const cases = INVALID_CASES.map(([name, object, field, text]) => ({ name, object, field, text }));
  it.each(cases)('$name → rejected naming $field', async ({ object, field, text }) => {
    const error = await create(String(object.kind), object, true).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(KubeApiError);
    const apiError = error as KubeApiError;
    expect([400, 422]).toContain(apiError.code);
    expect(apiError.status?.message).toContain(field);
    if (text !== '') expect(apiError.status?.message).toContain(text);
  });
});
