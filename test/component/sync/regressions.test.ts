import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OperatorError } from '../../../src/errors.ts';
import { createSyncFixture, type SyncFixture } from './sync-harness.ts';
import { contentsOf, readDirs, readTree } from './tree-fixture.ts';

// ARCHITECTURE.md section 11, the items about files.
describe('section 11 regressions', () => {
  let f: SyncFixture;
  beforeEach(async () => {
    f = await createSyncFixture();
  });
  afterEach(async () => f.cleanup());

  it('a root-level file mapping does not make the data dir root a managed root', async () => {
    await f.repo({ 'shared/factory-config.json': '{"v":1}' });
    const gatewayFiles = {
      'gateway.xml': 'gw',
      'config.idb': 'db',
      'config/local/ignition/webserver/keystore/ssl.pfx': 'ks',
      'some-admin-file.txt': 'mine',
      'projects/Plant/project.json': '{}',
    };
    await f.live(gatewayFiles);
    const profile = {
      mappings: [
        { source: 'shared/factory-config.json', destination: 'factory-config.json', type: 'file' as const },
      ],
    };

    const result = await f.sync({ profile });

    expect(result.added).toEqual(['factory-config.json']);
    expect(result.deleted).toEqual([]);
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))).toEqual({
      ...gatewayFiles,
      'factory-config.json': '{"v":1}',
    });
    // and a later verification pass still leaves the root alone
    const verified = await f.sync({ profile, verify: true });
    expect([verified.added, verified.deleted, verified.drift]).toEqual([[], [], []]);
  });

  it('orphans under a managed root nested below an unmanaged directory are removed', async () => {
    await f.repo({ 'shared/udts/Motor/udt.json': 'motor' });
    await f.live({
      'config/tags/default/Old/udt.json': 'old',
      'config/tags/default/Motor/stale.json': 'stale',
      'config/tags/other/keep.json': 'keep',
    });

    const result = await f.sync({
      profile: { mappings: [{ source: 'shared/udts', destination: 'config/tags/default' }] },
    });

    expect(result.deleted).toEqual([
      'config/tags/default/Motor/stale.json',
      'config/tags/default/Old/udt.json',
    ]);
    expect(contentsOf(await readTree(f.dataDir, ['.ignition-sync']))).toEqual({
      'config/tags/default/Motor/udt.json': 'motor',
      'config/tags/other/keep.json': 'keep',
    });
    expect((await readDirs(f.dataDir)).has('config/tags/default/Old')).toBe(false);
  });

  it('destinations written with a trailing "/" behave exactly like those without', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a', 'svc/core/x.json': 'x' });
    await f.live({ 'projects/Stale/project.json': 's' });
    const withSlash = {
      mappings: [
        { source: 'svc/projects/', destination: 'projects/' },
        { source: './svc/core', destination: 'config/resources/core/' },
      ],
    };
    const without = {
      mappings: [
        { source: 'svc/projects', destination: 'projects' },
        { source: 'svc/core', destination: 'config/resources/core' },
      ],
    };

    const first = await f.sync({ profile: withSlash, commit: 'c1' });
    const second = await f.sync({ profile: without, commit: 'c1' });

    expect([first.added, first.deleted]).toEqual([
      ['config/resources/core/x.json', 'projects/A/project.json'],
      ['projects/Stale/project.json'],
    ]);
    expect(second.strategy).toBe('noop'); // same normalised profile: same fingerprint
  });

  it('a missing optional source is skipped, not a failed sync', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a' });
    const result = await f.sync({
      profile: {
        mappings: [
          { source: 'svc/projects', destination: 'projects' },
          { source: 'svc/not-there', destination: 'config/resources/core' },
        ],
      },
    });
    expect(result.added).toEqual(['projects/A/project.json']);
    expect(result.skipped).toContainEqual({
      path: 'svc/not-there',
      reason: 'optional-source-missing',
      detail: 'mappings[1]',
    });
  });

  it('a missing required source fails the sync with RequiredSourceMissing and writes nothing', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a' });
    await f.live({ 'projects/Existing/project.json': 'e' });
    const error = await f
      .sync({
        profile: {
          mappings: [
            { source: 'svc/projects', destination: 'projects' },
            { source: 'svc/core', destination: 'config/resources/core', required: true },
          ],
        },
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OperatorError);
    expect((error as OperatorError).reason).toBe('RequiredSourceMissing');
    expect((error as OperatorError).kind).toBe('stalling');
    expect((error as OperatorError).message).toContain('svc/core');
    expect(contentsOf(await readTree(f.dataDir))).toEqual({ 'projects/Existing/project.json': 'e' });
  });

  it('a deployment mode whose source disappeared fails as RequiredSourceMissing', async () => {
    await f.repo({ 'svc/projects/A/project.json': 'a', 'overlays/dev/x.json': 'x' });
    const profile = {
      mappings: [{ source: 'svc/projects', destination: 'projects' }],
      deploymentMode: { name: 'dev', source: 'overlays/dev' },
    };
    await f.sync({ profile });
    await rm(join(f.sourceDir, 'overlays'), { recursive: true });
    await expect(f.sync({ profile })).rejects.toMatchObject({ reason: 'RequiredSourceMissing' });
    expect(await f.readLive('config/resources/dev/x.json')).toBe('x');
  });
});
