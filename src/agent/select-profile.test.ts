import { describe, expect, it } from 'vitest';
import { DesiredState } from '../api/index.ts';
import { selectProfile } from './select-profile.ts';

const COMMIT = 'a'.repeat(40);

function desired(overrides: Partial<Record<string, unknown>> = {}): DesiredState {
  return DesiredState.parse({
    version: 1,
    ignitionSync: 'plant',
    repo: 'file:///srv/git/plant.git',
    ref: 'v1',
    commit: COMMIT,
    auth: { kind: 'none' },
    excludePatterns: ['**/*.bak'],
    gateway: { port: 8088, tls: false },
    profiles: {
      site: {
        mappings: [{ source: 'site/projects', destination: 'projects' }],
        deploymentMode: { name: 'prod', source: 'modes/prod' },
        excludePatterns: ['**/tmp/**'],
        designerSessionPolicy: 'wait',
      },
      area: { mappings: [{ source: 'area', destination: 'projects' }], dryRun: true, paused: true },
    },
    paused: false,
    ...overrides,
  });
}

describe('selectProfile', () => {
  it('takes the named profile with its mappings, deployment mode, excludes and designer policy', () => {
    const selection = selectProfile(desired(), { kind: 'profile', profile: 'site' });
    expect(selection).toEqual({
      ok: true,
      selected: {
        profile: {
          mappings: [{ source: 'site/projects', destination: 'projects', type: 'dir', required: false }],
          deploymentMode: { name: 'prod', source: 'modes/prod' },
          excludePatterns: ['**/tmp/**'],
        },
        designerSessionPolicy: 'wait',
        dryRun: false,
        paused: false,
      },
    });
  });

  it("honours the profile's dryRun and paused", () => {
    const selection = selectProfile(desired(), { kind: 'profile', profile: 'area' });
    expect(selection.ok && selection.selected).toMatchObject({ dryRun: true, paused: true });
  });

  it('fails for a profile the desired state does not publish, naming what is published', () => {
    const selection = selectProfile(desired(), { kind: 'profile', profile: 'missing' });
    expect(selection).toEqual({
      ok: false,
      message: expect.stringContaining('SyncProfile missing is not in the desired state of plant'),
    });
    expect(!selection.ok && selection.message).toContain('site, area');
  });

  it('does not take inherited object keys for profile names', () => {
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect(selectProfile(desired(), { kind: 'profile', profile: name }).ok).toBe(false);
    }
  });

  it('2-tier mode needs no profile: the service path with the proceed policy', () => {
    const selection = selectProfile(desired({ profiles: {} }), {
      kind: 'servicePath',
      servicePath: 'gw/site',
    });
    expect(selection).toEqual({
      ok: true,
      selected: {
        profile: { servicePath: 'gw/site' },
        designerSessionPolicy: 'proceed',
        dryRun: false,
        paused: false,
      },
    });
  });

  it("the IgnitionSync's paused holds every gateway", () => {
    const paused = desired({ paused: true });
    const a = selectProfile(paused, { kind: 'profile', profile: 'site' });
    const b = selectProfile(paused, { kind: 'servicePath', servicePath: '.' });
    expect(a.ok && a.selected.paused).toBe(true);
    expect(b.ok && b.selected.paused).toBe(true);
  });
});
