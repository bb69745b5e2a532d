import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { parseManifests } from './parse-manifests.ts';
import { formatIssue, formatPath } from './validation-issue.ts';

const FIXTURES = join(import.meta.dirname, '../../../test/fixtures/manifests');
const read = (dir: string, file: string) => readFileSync(join(FIXTURES, dir, file), 'utf8');

/** Flattens a value to `path → scalar` (arrays by index, empty containers as leaves). */
function leaves(value: unknown, path: (string | number)[] = [], out = new Map<string, unknown>()) {
  if (Array.isArray(value) && value.length > 0)
    value.forEach((v, i) => {
      leaves(v, [...path, i], out);
    });
  else if (typeof value === 'object' && value !== null && Object.keys(value).length > 0) {
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  } else out.set(formatPath(path), value);
  return out;
}

/** What parsing added (defaults) and what it changed (must be nothing), document by document. */
function diffAgainstInput(text: string) {
  const inputs = parseAllDocuments(text).map((d) => d.toJS() as unknown);
  const { documents, issues } = parseManifests(text, 'fixture.yaml');
  expect(issues.map(formatIssue)).toEqual([]);
  expect(documents).toHaveLength(inputs.length);
  return documents.map((doc, i) => {
    const before = leaves(inputs[i]);
    const after = leaves(doc.object);
    const changed = [...before].filter(([p, v]) => !Object.is(after.get(p), v)).map(([p]) => p);
    const added = Object.fromEntries([...after].filter(([p]) => !before.has(p)));
    return { name: doc.name, changed, added };
  });
}

const syncDefaults = {
  'spec.webhook.enabled': false,
  'spec.webhook.port': 8443,
  'spec.polling.enabled': true,
  'spec.gateway.insecureSkipVerify': false,
  'spec.bidirectional.enabled': false,
  'spec.excludePatterns[0]': '**/.git/',
  'spec.excludePatterns[1]': '**/.gitkeep',
  'spec.paused': false,
  'spec.agent.image.pullPolicy': 'IfNotPresent',
};
const profileDefaults = {
  'spec.dryRun': false,
  'spec.paused': false,
  'spec.designerSessionPolicy': 'proceed',
};
const mappingDefaults = (n: number) =>
  Object.fromEntries(
    Array.from({ length: n }, (_, i) => [
      [`spec.mappings[${i}].type`, 'dir'],
      [`spec.mappings[${i}].required`, false],
    ]).flat(),
  );

// seed-document.txt is a copy of the user's design text.
describe('seed examples (test/fixtures/manifests/seed, copied verbatim)', () => {
  it('are every IgnitionSync/SyncProfile example of the seed, byte for byte', () => {
    const seed = readFileSync(join(FIXTURES, 'seed-document.txt'), 'utf8');
    const files = readdirSync(join(FIXTURES, 'seed'));
    expect(files).toHaveLength(7);
    for (const f of files) expect(seed).toContain(read('seed', f));
  });

  it('proveit-sync: valid; only defaults added, nothing changed', () => {
    expect(diffAgainstInput(read('seed', 'proveit-sync.yaml'))).toEqual([
      {
        name: 'proveit-sync',
        changed: [],
        added: {
          'spec.polling.enabled': true,
          'spec.gateway.insecureSkipVerify': false,
          'spec.paused': false,
          'spec.agent.image.pullPolicy': 'IfNotPresent',
        },
      },
    ]);
  });

  it.each(['demo-sync.yaml', 'my-sync.yaml'])('%s: valid; only defaults added', (file) => {
    const [doc] = diffAgainstInput(read('seed', file));
    expect(doc?.changed).toEqual([]);
    expect(doc?.added).toEqual({ ...syncDefaults, 'spec.polling.enabled': true });
  });

  it('proveit-profiles: both profiles valid with mapping defaults (the file mapping keeps type: file)', () => {
    const { 'spec.mappings[5].type': fileType, ...siteMappingDefaults } = mappingDefaults(6);
    expect(fileType).toBe('dir');
    expect(diffAgainstInput(read('seed', 'proveit-profiles.yaml'))).toEqual([
      { name: 'proveit-site', changed: [], added: { ...siteMappingDefaults, ...profileDefaults } },
      { name: 'proveit-area', changed: [], added: { ...mappingDefaults(2), ...profileDefaults } },
    ]);
  });

  it.each([
    ['demo-profiles.yaml', ['demo-frontend', 'demo-backend'], 2],
    ['single-gw-profile.yaml', ['single-gw'], 1],
    ['kustomize-base-area.yaml', ['area'], 2],
  ] as const)('%s: valid with mapping and profile defaults', (file, names, mappings) => {
    const docs = diffAgainstInput(read('seed', file));
    expect(docs).toEqual(
      names.map((name) => ({
        name,
        changed: [],
        added: { ...mappingDefaults(mappings), ...profileDefaults, 'spec.excludePatterns': [] },
      })),
    );
  });

  it.each(readdirSync(join(FIXTURES, 'seed')))(
    '%s round-trips: re-serialised output parses to itself',
    (file) => {
      const first = parseManifests(read('seed', file), file);
      const text = first.documents.map((d) => stringify(d.object)).join('---\n');
      const second = parseManifests(text, file);
      expect(second.issues).toEqual([]);
      expect(second.documents.map((d) => d.object)).toEqual(first.documents.map((d) => d.object));
    },
  );
});
