import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../test/harness/memory-io.ts';
import { runCli } from './program.ts';

const FIXTURES = join(import.meta.dirname, '../../test/fixtures/manifests');

async function validate(args: readonly string[], cwd: string) {
  const io = memoryIo(cwd, { env: {} });
  const code = await runCli(['validate', ...args], io.io);
  return { code, stdout: io.stdout(), stderr: io.stderr() };
}

const profile = (name: string, source: string) =>
  `apiVersion: sync.ignition.io/v1alpha1\nkind: SyncProfile\nmetadata:\n  name: ${name}\nspec:\n  mappings:\n    - source: "${source}"\n      destination: projects\n`;

describe('ignition-sync validate', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'validate-'));
    await writeFile(join(dir, 'good.yaml'), profile('a', 'services/a'));
    await writeFile(join(dir, 'bad.yaml'), `${profile('b', 'services/b')}---\n${profile('c', '../c')}`);
    await writeFile(join(dir, 'dup.yml'), profile('a', 'services/other'));
    await mkdir(join(dir, 'empty'));
    await mkdir(join(dir, 'nested/deeper'), { recursive: true });
    await writeFile(join(dir, 'nested/deeper/p.yaml'), profile('n', 'x'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('exits 0 for every seed example and summarises what it read', async () => {
    const r = await validate(['-f', join(FIXTURES, 'seed')], dir);
    expect(r).toEqual({
      code: 0,
      stdout: 'valid: 9 documents in 7 files (SyncProfile 6, IgnitionSync 3)\n',
      stderr: '',
    });
  });

  it('takes -f several times (files and directories) including the standalone Gateway kind', async () => {
    const r = await validate(
      ['-f', join(FIXTURES, 'composed'), '-f', join(FIXTURES, 'standalone/proveit-standalone.yaml')],
      dir,
    );
    expect(r.stdout).toBe('valid: 7 documents in 3 files (IgnitionSync 3, SyncProfile 2, Gateway 2)\n');
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints file:line, document, kind, name, path and message', async () => {
    const r = await validate(['-f', 'bad.yaml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      'bad.yaml:16: document 2 (SyncProfile c): spec.mappings[0].source: must be a relative path without ".."\n' +
        'invalid: 1 error in 1 of 1 file\n',
    );
  });

  it('reports a name defined in two files', async () => {
    const r = await validate(['-f', 'good.yaml', '-f', 'dup.yml'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'dup.yml: document 1 (SyncProfile a): metadata.name: duplicate SyncProfile "a" (already defined in good.yaml document 1)\n',
    );
  });

  it('exits 2 on a missing file or a directory without YAML, and says so on stderr', async () => {
    const missing = await validate(['-f', 'nope.yaml', '-f', 'good.yaml'], dir);
    expect(missing).toMatchObject({ code: 2, stderr: 'nope.yaml: cannot read: no such file or directory\n' });
    const empty = await validate(['-f', 'empty'], dir);
    expect(empty).toMatchObject({
      code: 2,
      stderr: 'empty: cannot read: no *.yaml or *.yml files in directory\n',
    });
  });

  it('exits 1 with one clear line when the input holds no documents (an empty kustomize build)', async () => {
    const blank = join(dir, 'blank', 'empty.yaml');
    await mkdir(join(dir, 'blank'));
    await writeFile(blank, '# nothing here\n---\n');
    const r = await validate(['-f', blank], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`invalid: no IgnitionSync, SyncProfile or Gateway documents in ${blank}\n`);
  });

  it('exits 1 for a mapping onto a gateway-owned path, which would silently sync nothing', async () => {
    const file = join(dir, 'owned', 'p.yaml');
    await mkdir(join(dir, 'owned'));
    await writeFile(
      file,
      'apiVersion: sync.ignition.io/v1alpha1\nkind: SyncProfile\nmetadata:\n  name: owned\nspec:\n  mappings:\n    - source: projects\n      destination: projects\n    - source: gw/gateway.xml\n      destination: gateway.xml\n      type: file\n',
    );
    const r = await validate(['-f', file], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `${file}: document 1 (SyncProfile owned): spec.mappings[1].destination: "gateway.xml" is owned by the gateway and is never written: this mapping would sync nothing`,
    );
  });

  it('exits 2 without -f', async () => {
    const r = await validate([], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("required option '-f, --filename <file|dir>' not specified");
  });

  it('reads directories flat unless -R is given', async () => {
    expect((await validate(['-f', 'nested'], dir)).code).toBe(2);
    const r = await validate(['-f', 'nested', '-R'], dir);
    expect(r).toMatchObject({ code: 0, stdout: 'valid: 1 document in 1 file (SyncProfile 1)\n' });
  });

  it('--output json gives a machine-readable result', async () => {
    const r = await validate(['-f', 'bad.yaml', '-o', 'json'], dir);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      valid: false,
      files: ['bad.yaml'],
      documents: [{ source: 'bad.yaml', documentIndex: 0, kind: 'SyncProfile', name: 'b' }],
      issues: [
        {
          source: 'bad.yaml',
          documentIndex: 1,
          kind: 'SyncProfile',
          name: 'c',
          path: 'spec.mappings[0].source',
          message: 'must be a relative path without ".."',
          line: 16,
        },
      ],
      unreadable: [],
    });
  });
});
