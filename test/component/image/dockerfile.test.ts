// The container image recipe (Dockerfile at the repository root). No container engine runs here, so it is not
// built: it is linted (dockerfile-utils), its stages are checked against the image policy (docs/install.md,
// "The image"), and the compiled CLI it ships (`npm run build` → dist/) is run the way the image runs it.
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Copy, DockerfileParser, type From, type Instruction } from 'dockerfile-ast';
import { validate } from 'dockerfile-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const execFileAsync = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..', '..');
const text = await readFile(join(ROOT, 'Dockerfile'), 'utf8');
const dockerfile = DockerfileParser.parse(text);

/** `${NAME}` in a FROM, resolved with the ARG defaults before the first FROM (how `docker build` does it). */
function resolvedImage(from: From): string {
  const args = new Map(
    dockerfile.getInitialARGs().map((a) => [a.getProperty()?.getName(), a.getProperty()?.getValue()]),
  );
  return (from.getImage() ?? '').replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args.get(a ?? b) ?? '');
}

/** The instructions of the stage that starts at `from`, up to the next FROM. */
function stageInstructions(from: From): Instruction[] {
  const all = dockerfile.getInstructions();
  const start = all.indexOf(from);
  const next = all.findIndex((i, n) => n > start && i.getKeyword() === 'FROM');
  return all.slice(start + 1, next < 0 ? undefined : next);
}

const froms = dockerfile.getFROMs();
const final = froms.at(-1);
const finalStage = final === undefined ? [] : stageInstructions(final);
const finalArgs = (keyword: string): string[] =>
  finalStage.filter((i) => i.getKeyword() === keyword).map((i) => i.getArgumentsContent() ?? '');
/** COPY instructions: the stage they copy from (`--from=`), undefined for the build context, and their sources. */
const copiesOf = (instructions: readonly Instruction[]) =>
  instructions
    .filter((i): i is Copy => i instanceof Copy)
    .map((c) => ({
      from: c.getFromFlag()?.getValue() ?? undefined,
      sources: (c.getArgumentsContent() ?? '').split(/\s+/).slice(0, -1),
    }));

describe('Dockerfile', () => {
  it('passes the dockerfile-utils linter with no problem, and the linter does flag a broken file', () => {
    expect(validate(text)).toEqual([]);
    expect(validate('FROM\nCOPY onlyone\nEXPOSE notaport\n').length).toBeGreaterThan(0);
  });

  it('is multi-stage and every base image is pinned by a sha256 digest', () => {
    expect(froms.map((f) => f.getBuildStage())).toEqual(['build', 'deps', 'runtime']);
    for (const from of froms)
      expect(resolvedImage(from)).toMatch(/^[\w./-]+(:[\w.-]+)?@sha256:[a-f0-9]{64}$/);
  });

  it('the final stage runs as a numeric non-root user and writes nothing outside /tmp (read-only root FS)', () => {
    const [user] = finalArgs('USER');
    expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
    expect(finalArgs('ENV').join(' ')).toMatch(/HOME=\/tmp\b/);
    expect(finalArgs('VOLUME')).toEqual([]);
  });

  it('the final stage has git, ssh, nss_wrapper and gnupg, and no compiler, package manager or sources', () => {
    const run = finalArgs('RUN').join('\n');
    for (const pkg of ['git', 'openssh-client', 'libnss-wrapper', 'gnupg', 'ca-certificates'])
      expect(run).toMatch(new RegExp(`install[^\\n]*\\s${pkg}(\\s|$)`));
    expect(run).toContain('--no-install-recommends');
    expect(run).toMatch(/rm -rf \/var\/lib\/apt\/lists/);
    expect(run).toMatch(/rm -rf \/usr\/local\/lib\/node_modules\/npm/);
    expect(run).not.toMatch(/build-essential|gcc|make|python/);
    const copies = copiesOf(finalStage);
    expect(copies.map((c) => c.from)).toEqual(['deps', 'build', undefined]);
    // From the build context only package.json: no TypeScript sources in the image.
    expect(copies.filter((c) => c.from === undefined).flatMap((c) => c.sources)).toEqual(['package.json']);
    const [entrypoint] = finalArgs('ENTRYPOINT');
    expect(JSON.parse(entrypoint ?? '[]')).toEqual(['node', '/app/dist/bin/cli.js']);
  });

  it('the build context holds what the stages copy (.dockerignore keeps it to that)', async () => {
    const ignore = (await readFile(join(ROOT, '.dockerignore'), 'utf8')).split('\n');
    const copied = copiesOf(froms.flatMap(stageInstructions))
      .filter((c) => c.from === undefined)
      .flatMap((c) => c.sources);
    expect(new Set(copied)).toEqual(
      new Set(['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src']),
    );
    for (const path of copied) expect(ignore).toContain(`!${path}`);
  });
});

describe('npm run build (the JavaScript the image ships)', () => {
  let app: string;
  beforeAll(async () => {
    // The image's /app layout: dist/, node_modules/, package.json ("type": "module"), and no TypeScript sources.
    app = await mkdtemp(join(tmpdir(), 'igs-image-'));
    await execFileAsync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '-p',
        join(ROOT, 'tsconfig.build.json'),
        '--outDir',
        join(app, 'dist'),
      ],
      { cwd: ROOT },
    );
    await symlink(join(ROOT, 'node_modules'), join(app, 'node_modules'));
    await cp(join(ROOT, 'package.json'), join(app, 'package.json'));
  }, 120_000);
  afterAll(async () => {
    await rm(app, { recursive: true, force: true });
  });

  const cli = (args: string[]) =>
    execFileAsync(process.execPath, [join(app, 'dist/bin/cli.js'), ...args], { cwd: app });

  it('emits JavaScript only, no tests, and package.json points the build at dist/', async () => {
    const { stdout } = await execFileAsync('find', [join(app, 'dist'), '-type', 'f']);
    const files = stdout.trim().split('\n');
    expect(files).toContain(join(app, 'dist/bin/cli.js'));
    expect(files.filter((f) => !f.endsWith('.js'))).toEqual([]);
    expect(files.filter((f) => f.includes('.test.'))).toEqual([]);
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(pkg.scripts.build).toBe('tsc -p tsconfig.build.json');
  });

  it('`node dist/bin/cli.js --help` lists the controller and agent commands the one image runs', async () => {
    const { stdout } = await cli(['--help']);
    expect(stdout).toMatch(/^\s+controller \[options\]/m);
    expect(stdout).toMatch(/^\s+agent \[options\]/m);
  });

  it('the compiled controller takes the flags the Helm chart passes', async () => {
    const { stdout } = await cli(['controller', '--help']);
    for (const flag of [
      '--listen',
      '--probe-listen',
      '--admission-listen',
      '--cert-file',
      '--key-file',
      '--agent-image',
      '--lease-namespace',
      '--leader-election-id',
      '--lease-duration',
      '--renew-deadline',
      '--retry-period',
      '--identity',
      '--no-leader-elect',
      '--log-level',
      '--namespace',
    ])
      expect(stdout).toContain(flag);
  });

  it('the compiled `manifests` command prints the same objects as the TypeScript sources', async () => {
    const { stdout } = await cli(['manifests']);
    const expected = await readFile(join(ROOT, 'deploy/manifests/ignition-sync.yaml'), 'utf8');
    const body = (s: string) => s.slice(s.indexOf('---'));
    expect(body(stdout)).toBe(body(expected));
  });
});
