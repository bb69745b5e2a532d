import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/index.ts';
import { memoryIo } from '../harness/memory-io.ts';
import { onceJsonArgs, type ProveitEnvironment, startProveitEnvironment } from './proveit-environment.ts';

let env: ProveitEnvironment;

beforeEach(async () => {
  env = await startProveitEnvironment();
});

afterEach(async () => {
  await env.close();
});

describe('ignition-sync run --once --output json', () => {
  it('prints exactly {"gateways":[{name,commit,status,added,modified,deleted,error}]} and exits 0 when all synced', async () => {
    await env.writeConfig([
      { name: 'site', profile: 'proveit-site' },
      { name: 'area1', profile: 'proveit-area' },
    ]);
    const cli = memoryIo(env.root);
    const args = onceJsonArgs('config');
    const code = await runCli(args, cli.io);
    expect(cli.stderr()).not.toContain('e2e-git-token');
    expect(code).toBe(0);
    const commit = await env.repo.revParse('2.0.0');
    const parsed = JSON.parse(cli.stdout()) as { gateways: Array<Record<string, unknown>> };
    expect(Object.keys(parsed)).toEqual(['gateways']);
    expect(parsed.gateways.map((g) => Object.keys(g))).toEqual([
      ['name', 'commit', 'status', 'added', 'modified', 'deleted', 'error'],
      ['name', 'commit', 'status', 'added', 'modified', 'deleted', 'error'],
    ]);
    expect(parsed.gateways[0]).toMatchObject({
      name: 'site',
      commit,
      status: 'Synced',
      modified: 0,
      deleted: 0,
      error: null,
    });
    expect(parsed.gateways[1]).toMatchObject({ name: 'area1', commit, status: 'Synced', error: null });
    expect(parsed.gateways[0]?.added).toBeGreaterThan(20);
    // The mappings landed: the shared scripts inside the site project, the overlay as its own collection.
    const site = env.dataDir('site');
    expect(
      await readFile(join(site, 'projects/site/ignition/script-python/exchange/proveit2026/code.py'), 'utf8'),
    ).toContain('toExchange');
    expect(
      await readFile(
        join(site, 'config/resources/prd-cloud/ignition/database-connection/Historian/config.json'),
        'utf8',
      ),
    ).toContain('historian-prd');
  });

  it('a second run with nothing changed reports zero changes; a failing gateway makes exit 1 with its error', async () => {
    await env.writeConfig([{ name: 'site', profile: 'proveit-site' }]);
    const args = onceJsonArgs('config/proveit.yaml');
    expect(await runCli(args, memoryIo(env.root).io)).toBe(0);
    const again = memoryIo(env.root);
    expect(await runCli(args, again.io)).toBe(0);
    expect(JSON.parse(again.stdout()).gateways[0]).toMatchObject({
      status: 'Synced',
      added: 0,
      modified: 0,
      deleted: 0,
    });

    await writeFile(join(env.secretsDir, 'git-token', 'token'), 'wrong-token\n');
    const failing = memoryIo(env.root);
    expect(await runCli(args, failing.io)).toBe(1);
    const gateway = JSON.parse(failing.stdout()).gateways[0];
    expect(gateway).toMatchObject({ name: 'site', commit: null, status: 'Failed' });
    expect(String(gateway.error)).not.toContain('wrong-token');
    expect(String(gateway.error)).toMatch(/authentication/i);
  });

  it('invalid config → exit 2 naming every problem, nothing synced', async () => {
    await env.writeConfig([{ name: 'site', profile: 'proveit-site' }]);
    const path = join(env.configDir, 'proveit.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(
      path,
      text
        .replace('profile: proveit-site', 'profile: no-such-profile')
        .replace('syncRef: proveit-sync', 'syncRef: nope'),
    );
    const cli = memoryIo(env.root);
    const code = await runCli(
      ['run', '-f', 'config', '--once', '--output', 'json', '--state-dir', 'state'],
      cli.io,
    );
    expect(code).toBe(2);
    expect(cli.stderr()).toContain('IgnitionSync \\"nope\\" not found');
    expect(cli.stderr()).toContain('SyncProfile \\"no-such-profile\\" not found');
    expect(JSON.parse(cli.stdout())).toMatchObject({ gateways: [] });
  });

  it('--dry-run reports the plan and writes nothing', async () => {
    await env.writeConfig([{ name: 'site', profile: 'proveit-site' }]);
    const cli = memoryIo(env.root);
    expect(await runCli([...onceJsonArgs('config'), '--dry-run'], cli.io)).toBe(0);
    const gateway = JSON.parse(cli.stdout()).gateways[0];
    expect(gateway).toMatchObject({ name: 'site', status: 'Synced', deleted: 0, error: null });
    expect(gateway.added).toBeGreaterThan(20);
    expect(await readdir(env.dataDir('site'))).toEqual([]);
  });

  it('--dry-run lists exactly the paths it would add, modify and delete, in JSON and in text', async () => {
    await env.writeConfig([{ name: 'area1', profile: 'proveit-area' }]);
    expect(await runCli(onceJsonArgs('config'), memoryIo(env.root).io)).toBe(0);
    const area = 'services/area/projects/area';
    const next = await env.repo.commit({
      [`${area}/project.json`]: '{"title":"Area, changed"}\n',
      [`${area}/notes.json`]: '{}\n',
      [`${area}/ignition/script-python/area/shift/code.py`]: null,
    });
    await env.repo.tag('2.0.1', next, { annotated: true });
    await env.writeConfig([{ name: 'area1', profile: 'proveit-area' }], { ref: '2.0.1' });
    const json = memoryIo(env.root);
    expect(await runCli([...onceJsonArgs('config'), '--dry-run'], json.io)).toBe(0);
    expect(JSON.parse(json.stdout()).gateways[0].paths).toEqual({
      added: ['projects/area/notes.json'],
      modified: ['projects/area/project.json'],
      deleted: ['projects/area/ignition/script-python/area/shift/code.py'],
      drifted: [],
      protected: [],
      omitted: 0,
    });
    const text = memoryIo(env.root);
    const textArgs = onceJsonArgs('config').map((a) => (a === 'json' ? 'text' : a));
    expect(await runCli([...textArgs, '--dry-run'], text.io)).toBe(0);
    expect(text.stdout()).toContain(
      'area1:\n  + projects/area/notes.json\n  ~ projects/area/project.json\n  - projects/area/ignition/script-python/area/shift/code.py\n',
    );
    expect(await readFile(join(env.dataDir('area1'), 'projects/area/project.json'), 'utf8')).not.toContain(
      'changed',
    );
  });

  it('an IgnitionSync that requires approval is refused (exit 2) instead of synced unapproved', async () => {
    await env.writeConfig([{ name: 'site', profile: 'proveit-site' }]);
    const path = join(env.configDir, 'proveit.yaml');
    const text = await readFile(path, 'utf8');
    await writeFile(path, text.replace('  polling:', '  approval: {required: true}\n  polling:'));
    const cli = memoryIo(env.root);
    expect(await runCli(onceJsonArgs('config'), cli.io)).toBe(2);
    expect(cli.stderr()).toContain('spec.approval.required is not supported');
    expect(await readdir(env.dataDir('site'))).toEqual([]);
  });

  it('an IgnitionSync that asks for signed commits is refused (exit 2) until signatures are verified', async () => {
    await env.writeConfig([{ name: 'site', profile: 'proveit-site' }]);
    const path = join(env.configDir, 'proveit.yaml');
    const text = await readFile(path, 'utf8');
    const withGpg = text.replace(
      '    auth: {token: {secretRef: {name: git-token, key: token}}}',
      '    auth: {token: {secretRef: {name: git-token, key: token}}, gpgKey: {secretRef: {name: gpg, key: publicKey}}}',
    );
    expect(withGpg).not.toBe(text);
    await writeFile(path, withGpg);
    const cli = memoryIo(env.root);
    expect(await runCli(onceJsonArgs('config'), cli.io)).toBe(2);
    expect(cli.stderr()).toContain(
      'spec.git.auth.gpgKey is set, but commit signature verification is not implemented',
    );
    expect(await readdir(env.dataDir('site'))).toEqual([]);
  });
});
