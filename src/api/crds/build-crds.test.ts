import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { parseManifests } from '../manifests/index.ts';
import { buildCrds, crdFileName, renderCrd } from './build-crds.ts';
import type { SchemaNode } from './to-structural-schema.ts';

const ROOT = join(import.meta.dirname, '../../..');
const MANIFESTS = join(ROOT, 'test/fixtures/manifests');
/** Seed examples (verbatim) and the composed enterprise / Kustomize-output examples. */
const VALID_FILES = ['seed', 'composed'].flatMap((dir) =>
  readdirSync(join(MANIFESTS, dir)).map((f) => `${dir}/${f}`),
);
const crds = buildCrds();
const crdOf = (kind: string) => {
  const crd = crds.find((c) => c.spec.names.kind === kind);
  if (!crd) throw new Error(`no CRD for ${kind}`);
  return crd;
};
const schemaOf = (kind: string) => crdOf(kind).spec.versions[0]?.schema.openAPIV3Schema as SchemaNode;

/** The schema node at a dotted path (`spec.mappings[].type`). */
function nodeAt(root: SchemaNode, path: readonly (string | number)[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = root;
  for (const seg of path) {
    if (node === undefined) return undefined;
    if (typeof seg === 'number') node = node.items as SchemaNode | undefined;
    else node = (node.properties as Record<string, SchemaNode> | undefined)?.[seg];
  }
  return node;
}

/** Applies schema defaults the way the apiserver does: top-down, a defaulted object gets its own defaults. */
function applyDefaults(schema: SchemaNode, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => applyDefaults(schema.items as SchemaNode, v));
  if (typeof value !== 'object' || value === null) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [k, sub] of Object.entries((schema.properties ?? {}) as Record<string, SchemaNode>)) {
    if (out[k] === undefined && sub.default !== undefined) out[k] = structuredClone(sub.default);
    if (out[k] !== undefined) out[k] = applyDefaults(sub, out[k]);
  }
  return out;
}

function leafPaths(value: unknown, path: (string | number)[] = []): [(string | number)[], unknown][] {
  if (Array.isArray(value)) return value.flatMap((v, i) => leafPaths(v, [...path, i]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) => leafPaths(v, [...path, k]));
  }
  return [[path, value]];
}

const jsonType = (v: unknown) =>
  typeof v === 'number' ? (Number.isInteger(v) ? 'integer' : 'number') : (typeof v as string);

describe('generated CRDs', () => {
  it.each(crds.map((c) => [crdFileName(c), c] as const))(
    'deploy/crds/%s is up to date (npm run gen)',
    (file, crd) => {
      expect(readFileSync(join(ROOT, 'deploy/crds', file), 'utf8')).toBe(renderCrd(crd));
    },
  );

  it('has no files in deploy/crds that the generator does not produce', () => {
    const files = readdirSync(join(ROOT, 'deploy/crds')).filter((f) => f.endsWith('.yaml'));
    expect(files.sort()).toEqual(crds.map(crdFileName).sort());
  });

  it('names, short names, categories, scope and the status subresource', () => {
    expect(crds.map((c) => [c.metadata.name, c.spec.names.shortNames, c.spec.scope])).toEqual([
      ['ignitionsyncs.sync.ignition.io', ['igs'], 'Namespaced'],
      ['syncprofiles.sync.ignition.io', ['sp'], 'Namespaced'],
    ]);
    for (const c of crds) {
      expect(c.spec.names.categories).toEqual(['ignition', 'ignition-sync']);
      expect(c.spec.versions.map((v) => [v.name, v.served, v.storage, v.subresources])).toEqual([
        ['v1alpha1', true, true, { status: {} }],
      ]);
    }
  });

  it('IgnitionSync printer columns: Ref, Commit, Gateways "4/5", Ready, Age', () => {
    const cols = crdOf('IgnitionSync').spec.versions[0]?.additionalPrinterColumns ?? [];
    expect(cols.filter((c) => c.priority === undefined).map((c) => [c.name, c.jsonPath])).toEqual([
      ['Ref', '.status.resolvedRef'],
      ['Commit', '.status.resolvedCommit'],
      ['Gateways', '.status.gatewaySummary'],
      ['Ready', '.status.conditions[?(@.type=="Ready")].status'],
      ['Age', '.metadata.creationTimestamp'],
    ]);
  });

  it('conditions are a list-map keyed by type, shaped like metav1.Condition', () => {
    for (const kind of ['IgnitionSync', 'SyncProfile']) {
      const conditions = nodeAt(schemaOf(kind), ['status', 'conditions']);
      expect(conditions?.['x-kubernetes-list-type']).toBe('map');
      expect(conditions?.['x-kubernetes-list-map-keys']).toEqual(['type']);
      expect((conditions!.items as SchemaNode).required).toEqual([
        'type',
        'status',
        'lastTransitionTime',
        'reason',
        'message',
      ]);
    }
  });

  it('is structural: every node has a type; no additionalProperties:false, anyOf only for int-or-string', () => {
    const visit = (node: SchemaNode, at: string): void => {
      expect(typeof node.type === 'string' || node['x-kubernetes-int-or-string'] === true, at).toBe(true);
      expect(node.additionalProperties === false, at).toBe(false);
      expect(node.properties !== undefined && node.additionalProperties !== undefined, at).toBe(false);
      for (const [k, sub] of Object.entries((node.properties ?? {}) as Record<string, SchemaNode>))
        visit(sub, `${at}.${k}`);
      if (node.items) visit(node.items as SchemaNode, `${at}[]`);
      if (typeof node.additionalProperties === 'object')
        visit(node.additionalProperties as SchemaNode, `${at}{}`);
    };
    for (const c of crds) visit(schemaOf(c.spec.names.kind), c.spec.names.kind);
  });

  it.each([
    ['IgnitionSync', 'spec.polling', {}],
    ['IgnitionSync', 'spec.polling.enabled', true],
    ['IgnitionSync', 'spec.polling.interval', '60s'],
    ['IgnitionSync', 'spec.webhook', {}],
    ['IgnitionSync', 'spec.webhook.enabled', false],
    ['IgnitionSync', 'spec.webhook.port', 8443],
    ['IgnitionSync', 'spec.gateway', {}],
    ['IgnitionSync', 'spec.gateway.port', 8043],
    ['IgnitionSync', 'spec.gateway.tls', true],
    ['IgnitionSync', 'spec.gateway.insecureSkipVerify', false],
    ['IgnitionSync', 'spec.excludePatterns', ['**/.git/', '**/.gitkeep']],
    ['IgnitionSync', 'spec.bidirectional.enabled', false],
    ['IgnitionSync', 'spec.paused', false],
    ['IgnitionSync', 'spec.agent.image.pullPolicy', 'IfNotPresent'],
    ['IgnitionSync', 'spec.approval.required', false],
    ['IgnitionSync', 'spec.approval.timeout', '24h'],
    ['SyncProfile', 'spec.mappings.0.type', 'dir'],
    ['SyncProfile', 'spec.mappings.0.required', false],
    ['SyncProfile', 'spec.excludePatterns', []],
    ['SyncProfile', 'spec.designerSessionPolicy', 'proceed'],
    ['SyncProfile', 'spec.dryRun', false],
  ] as const)('%s %s defaults to %j', (kind, path, expected) => {
    const segs = path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    expect(nodeAt(schemaOf(kind), segs)?.default).toEqual(expected);
  });

  describe.each(VALID_FILES)('%s', (file) => {
    const { documents } = parseManifests(readFileSync(join(MANIFESTS, file), 'utf8'), file);

    it('every field it uses exists in the CRD with the right type', () => {
      expect(documents.length).toBeGreaterThan(0);
      for (const doc of documents) {
        for (const [path, value] of leafPaths(doc.object.spec)) {
          const node = nodeAt(schemaOf(doc.kind), ['spec', ...path]);
          expect(node?.type, `spec.${path.join('.')}`).toBe(jsonType(value));
        }
      }
    });

    it('apiserver-style defaulting from the CRD gives the same object as the zod defaults', () => {
      const raw = parseAllDocuments(readFileSync(join(MANIFESTS, file), 'utf8')).map(
        (d) => d.toJS() as { spec: unknown },
      );
      expect(raw).toHaveLength(documents.length);
      for (const [i, doc] of documents.entries()) {
        const input = raw[i] as { spec: unknown };
        expect(input.spec).not.toEqual(doc.object.spec);
        expect(applyDefaults(nodeAt(schemaOf(doc.kind), ['spec']) as SchemaNode, input.spec)).toEqual(
          doc.object.spec,
        );
      }
    });
  });
});
