import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { buildCrds } from '../../src/api/crds/index.ts';
import { API_VERSION, isValidGitRef, parseManifests, Resources } from '../../src/api/index.ts';
import { KubeApiError, KubeClient } from '../../src/kube/index.ts';
import { INVALID_DOCUMENTS } from '../fixtures/manifests/invalid-documents.ts';
import { createTestNamespace, kubeConfigFor } from '../harness/kube/index.ts';

// The generated CRDs (deploy/crds, installed by the integration globalSetup) on a real kube-apiserver,
// held to the same documents as the zod schemas: the server must accept every seed example and fill in
// exactly zod's defaults, and reject every invalid document zod rejects, naming the same field.

const MANIFESTS = join(import.meta.dirname, '../fixtures/manifests');
/** Seed examples (verbatim) and the composed enterprise / Kustomize-output examples. */
const VALID_FILES = ['seed', 'composed'].flatMap((dir) =>
  readdirSync(join(MANIFESTS, dir)).map((f) => `${dir}/${f}`),
);
const PLURAL: Readonly<Record<string, string>> = {
  IgnitionSync: Resources.ignitionSyncs,
  SyncProfile: Resources.syncProfiles,
};

type Doc = { apiVersion?: unknown; kind?: unknown; metadata?: Record<string, unknown>; spec?: unknown };

let client: KubeClient;
let namespace: string;

function create(doc: Doc, ns = namespace): Promise<Doc> {
  const plural = PLURAL[String(doc.kind)] ?? 'unknown';
  return client.request<Doc>({
    method: 'POST',
    path: `/apis/sync.ignition.io/v1alpha1/namespaces/${ns}/${plural}`,
    query: { fieldValidation: 'Strict' },
    body: { ...doc, metadata: { ...doc.metadata, namespace: ns } },
  });
}

async function rejection(doc: Doc): Promise<string> {
  try {
    await create(doc);
  } catch (e: unknown) {
    if (e instanceof KubeApiError) return `${e.code} ${e.message}`;
    throw e;
  }
  return 'accepted';
}

beforeAll(async () => {
  client = new KubeClient(kubeConfigFor(inject('kube')));
  namespace = await createTestNamespace(client, 'api-crds');
});

describe('the installed CRDs', () => {
  it.each(buildCrds().map((c) => [c.metadata.name, c] as const))(
    '%s is the generated one, accepted',
    async (name, crd) => {
      expect(inject('kubeCrdErrors')[name]).toBeUndefined();
      const stored = await client.get<{ spec: { versions: unknown[] } }>(
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`,
      );
      expect(stored.spec.versions).toEqual(crd.spec.versions);
    },
  );
});

describe.each(VALID_FILES)('%s on the apiserver', (file) => {
  it('is accepted (strict field validation) with the same defaults as zod', async () => {
    const text = readFileSync(join(MANIFESTS, file), 'utf8');
    const raw = parseAllDocuments(text).map((d) => d.toJS() as Doc);
    const parsed = parseManifests(text, file).documents;
    expect(parsed).toHaveLength(raw.length);
    const ns = await createTestNamespace(client, 'api-crds'); // examples reuse names across files
    for (const [i, doc] of raw.entries()) {
      const created = await create(doc, ns);
      expect(created.spec).toEqual(parsed[i]?.object.spec);
    }
  });
});

// Documents the CRD can judge: one IgnitionSync or SyncProfile with the right apiVersion. (The standalone
// Gateway kind, YAML syntax, duplicates within a file and wrong apiVersion/kind are client-side only.)
const crdCases = INVALID_DOCUMENTS.filter(([, text]) => {
  const docs = parseAllDocuments(text);
  if (docs.length !== 1 || docs[0]?.errors.length !== 0) return false;
  const value = docs[0].toJS() as Doc | null;
  return value?.apiVersion === API_VERSION && String(value.kind) in PLURAL;
});

/** Every message of a CEL rule (`x-kubernetes-validations`) in the generated CRDs. */
function celMessages(node: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(node)) for (const n of node) celMessages(n, out);
  else if (typeof node === 'object' && node !== null) {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'x-kubernetes-validations' && Array.isArray(v)) for (const r of v) out.add(String(r.message));
      else celMessages(v, out);
    }
  }
  return out;
}
const CEL_MESSAGES = celMessages(buildCrds());

describe('invalid documents on the apiserver', () => {
  it('covers at least 30 of the shared invalid documents', () => {
    expect(crdCases.length).toBeGreaterThanOrEqual(30);
  });

  it.each(crdCases)('%s is rejected, naming the field', async (_name, text, expected) => {
    const message = await rejection(parseAllDocuments(text)[0]?.toJS() as Doc);
    expect(message).toMatch(/^(422|400) /);
    for (const [path, text] of expected) {
      expect(message).toContain(path);
      // Rules written once for zod and CEL must read the same from both validators.
      if (CEL_MESSAGES.has(text)) expect(message).toContain(text);
    }
  });
});

// Rules written twice (TypeScript for zod, CEL for the apiserver) must agree on every input, not only on
// the hand-picked table: random refs and paths, judged by both (dry-run creates, nothing persisted).
describe('zod and CEL agree on random input', () => {
  async function isAccepted(doc: Doc): Promise<boolean> {
    try {
      await client.request({
        method: 'POST',
        path: `/apis/sync.ignition.io/v1alpha1/namespaces/${namespace}/${PLURAL[String(doc.kind)]}`,
        query: { dryRun: 'All', fieldValidation: 'Strict' },
        body: { ...doc, metadata: { name: 'random', namespace } },
      });
      return true;
    } catch (e: unknown) {
      if (e instanceof KubeApiError && e.code === 422) return false;
      throw e;
    }
  }
  const sample = (alphabet: string, seed: number) =>
    fc.sample(
      fc
        .array(fc.constantFrom(...alphabet.split('')), { minLength: 1, maxLength: 10 })
        .map((cs) => cs.join('')),
      { numRuns: 60, seed },
    );

  it('git refs', async () => {
    for (const ref of sample('ab./-@{}~^:?* lock', 7)) {
      const doc = {
        apiVersion: API_VERSION,
        kind: 'IgnitionSync',
        spec: { git: { repo: 'file:///r.git', ref } },
      };
      expect({ ref, accepted: await isAccepted(doc) }).toEqual({ ref, accepted: isValidGitRef(ref) });
    }
  });

  it('mapping paths', async () => {
    const outcomes = new Set<boolean>();
    for (const path of sample('a./', 11)) {
      const doc = {
        apiVersion: API_VERSION,
        kind: 'SyncProfile',
        spec: { mappings: [{ source: path, destination: path }] },
      };
      const zodSays =
        parseManifests(JSON.stringify({ ...doc, metadata: { name: 'random' } }), 'r').issues.length === 0;
      const accepted = await isAccepted(doc);
      expect({ path, accepted }).toEqual({ path, accepted: zodSays });
      outcomes.add(accepted);
    }
    expect(outcomes.size).toBe(2);
  });
});
