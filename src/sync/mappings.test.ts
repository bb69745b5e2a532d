import { describe, expect, it } from 'vitest';
import { SyncProfileSpec } from '../api/index.ts';
import { OperatorError } from '../errors.ts';
import { resolveProfile } from './mappings.ts';
import { normalizeRelativePath } from './safe-path.ts';

describe('normalizeRelativePath', () => {
  it.each([
    ['projects/', 'projects'],
    ['./projects//A/', 'projects/A'],
    ['.', ''],
    ['./', ''],
    ['', ''],
    ['with space/ü', 'with space/ü'],
  ])('%j → %j', (input, expected) => {
    expect(normalizeRelativePath(input, 'destination')).toBe(expected);
  });
  it.each(['/etc', '../x', 'a/../../b', 'a/..', 'nul\0byte'])('%j → PathTraversalBlocked', (input) => {
    expect(() => normalizeRelativePath(input, 'destination')).toThrow(
      expect.objectContaining({ reason: 'PathTraversalBlocked', kind: 'stalling' }),
    );
  });
});

describe('resolveProfile', () => {
  it('destination "." for a dir mapping manages the children, never the data-dir root', () => {
    const p = resolveProfile({ mappings: [{ source: '.', destination: '.' }] });
    expect(p.mappings[0]).toMatchObject({ source: '', destination: '', rootMode: 'children' });
  });

  it('a file mapping to "." is rejected', () => {
    expect(() =>
      resolveProfile({ mappings: [{ source: 'a.json', destination: '.', type: 'file' }] }),
    ).toThrow(OperatorError);
  });

  it('2-tier service path maps projects/ and each config/resources collection', () => {
    const p = resolveProfile({ servicePath: 'services/gateway/' });
    expect(p.mappings.map((m) => [m.source, m.destination, m.rootMode, m.required])).toEqual([
      ['services/gateway/projects', 'projects', 'self', false],
      ['services/gateway/config/resources', 'config/resources', 'children', false],
    ]);
  });

  it('deployment mode becomes its own collection, last in overlay order, with a generated config-mode.json', () => {
    const p = resolveProfile({
      mappings: [{ source: 'a', destination: 'projects' }],
      deploymentMode: { name: 'prd-cloud', source: 'overlays/prd-cloud/' },
    });
    expect(p.mappings[1]).toMatchObject({
      source: 'overlays/prd-cloud',
      destination: 'config/resources/prd-cloud',
      required: true,
    });
    expect(p.generated[0]?.path).toBe('config/resources/prd-cloud/config-mode.json');
    expect(JSON.parse(p.generated[0]?.content ?? '')).toEqual({
      title: 'prd-cloud',
      description: 'Deployment mode prd-cloud (managed by ignition-sync)',
      enabled: true,
      inheritable: true,
      parent: 'core',
    });
  });

  it.each(['local', 'core', 'external', 'system', 'a/b', '..', ''])(
    'deployment mode name %j → ProfileInvalid',
    (name) => {
      expect(() => resolveProfile({ mappings: [], deploymentMode: { name, source: 'x' } })).toThrow(
        expect.objectContaining({ reason: 'ProfileInvalid' }),
      );
    },
  );

  it('the fingerprint ignores spelling (trailing "/") but follows excludes and mappings', () => {
    const a = resolveProfile({ mappings: [{ source: 's/', destination: 'projects/' }] }).fingerprint;
    const b = resolveProfile({ mappings: [{ source: 's', destination: 'projects' }] }).fingerprint;
    const c = resolveProfile({ mappings: [{ source: 's', destination: 'projects' }] }, ['**/x']).fingerprint;
    const d = resolveProfile({
      mappings: [{ source: 's', destination: 'projects', required: true }],
    }).fingerprint;
    expect(a).toBe(b);
    expect(new Set([b, c, d]).size).toBe(3);
  });
});

describe('compatibility with the API types', () => {
  it('resolves a parsed v1alpha1 SyncProfileSpec (the seed proveit-site profile) as is', () => {
    const spec = SyncProfileSpec.parse({
      mappings: [
        { source: 'services/site/projects', destination: 'projects' },
        { source: 'shared/factory-config.json', destination: 'factory-config.json', type: 'file' },
      ],
      deploymentMode: { name: 'prd-cloud', source: 'services/site/overlays/prd-cloud' },
      excludePatterns: ['**/tag-*/MQTT Engine/'],
    });
    const p = resolveProfile(spec, ['**/.git/']);
    expect(p.mappings.map((m) => m.destination)).toEqual([
      'projects',
      'factory-config.json',
      'config/resources/prd-cloud',
    ]);
    expect(p.excludePatterns).toContain('**/tag-*/MQTT Engine/');
  });
});
