import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fixtureGit } from './fixture-git.ts';

/** What a path holds in a fixture commit; `null` deletes it. */
export type FixtureFile =
  | string
  | Buffer
  | null
  | { readonly content: string | Buffer; readonly executable: true }
  | { readonly symlink: string }
  | { readonly submodule: string };

export interface CommitOptions {
  /** Branch to commit on (default `main`); created when missing. */
  readonly branch?: string;
  readonly message?: string;
  /** Parent commit; default: the branch tip. `null` makes a root commit. */
  readonly parent?: string | null;
  /** Start from an empty tree instead of the parent's tree. */
  readonly replaceTree?: boolean;
  /** Committer time, seconds since the epoch (default now). */
  readonly time?: number;
}

/** C-style quoting as git fast-import reads paths: everything verbatim except `"`, `\` and newlines. */
function quotePath(path: string): string {
  return `"${path.replaceAll('\\', '\\\\').replaceAll('"', '\\"').replaceAll('\n', '\\n')}"`;
}

function dataBlock(content: string | Buffer): Buffer[] {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  return [Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n')];
}

function fileCommand(path: string, file: Exclude<FixtureFile, null>): Buffer[] {
  const p = quotePath(path);
  if (typeof file === 'string' || Buffer.isBuffer(file)) {
    return [Buffer.from(`M 100644 inline ${p}\n`), ...dataBlock(file)];
  }
  if ('symlink' in file) return [Buffer.from(`M 120000 inline ${p}\n`), ...dataBlock(file.symlink)];
  if ('submodule' in file) return [Buffer.from(`M 160000 ${file.submodule} ${p}\n`)];
  return [Buffer.from(`M 100755 inline ${p}\n`), ...dataBlock(file.content)];
}

/**
 * A bare repository under `<root>/<name>.git` that tests write to directly with `git fast-import`
 * (fast even for 10,000 files, any file name, symlinks and submodule entries), plus ref helpers that
 * simulate what happens on a real server: moved branches, force-pushes, deleted refs, gc.
 */
export class FixtureRepo {
  readonly name: string;
  readonly bareDir: string;

  constructor(root: string, name: string) {
    this.name = name;
    this.bareDir = join(root, `${name}.git`);
  }

  /** `file://` URL of the bare repository. */
  get fileUrl(): string {
    return pathToFileURL(this.bareDir).href;
  }

  /** Writes `files` as one commit on `options.branch` and returns the new commit id. */
  async commit(
    files: Iterable<readonly [string, FixtureFile]> | Record<string, FixtureFile>,
    options: CommitOptions = {},
  ): Promise<string> {
    const branch = options.branch ?? 'main';
    const ref = `refs/heads/${branch}`;
    const parent = options.parent === undefined ? await this.tryRevParse(ref) : options.parent;
    const entries = Symbol.iterator in files ? files : Object.entries(files);
    const isRoot = parent === null || parent === undefined;
    const chunks: Buffer[] = [
      // a root commit must not continue an existing branch tip
      Buffer.from(isRoot ? `reset ${ref}\n\n` : ''),
      Buffer.from(
        `commit ${ref}\ncommitter Fixture <fixture@example.invalid> ${options.time ?? Math.floor(Date.now() / 1000)} +0000\n`,
      ),
      ...dataBlock(options.message ?? 'update'),
      Buffer.from(
        isRoot ? 'deleteall\n' : `from ${parent}\n${options.replaceTree === true ? 'deleteall\n' : ''}`,
      ),
    ];
    for (const [path, file] of entries) {
      chunks.push(...(file === null ? [Buffer.from(`D ${quotePath(path)}\n`)] : fileCommand(path, file)));
    }
    chunks.push(Buffer.from('\n'));
    await fixtureGit(['fast-import', '--quiet', '--force'], {
      cwd: this.bareDir,
      input: Buffer.concat(chunks),
    });
    return this.revParse(ref);
  }

  /** Creates a tag: annotated (a tag object, peeled by ls-remote) or lightweight. */
  async tag(
    name: string,
    target: string,
    options: { annotated?: boolean; message?: string } = {},
  ): Promise<void> {
    if (options.annotated === true) {
      await fixtureGit(['tag', '-f', '-a', name, '-m', options.message ?? name, target], {
        cwd: this.bareDir,
      });
    } else {
      await this.setRef(`refs/tags/${name}`, target);
    }
  }

  /** Points `ref` at `oid` regardless of history (a force-push as the server sees it). */
  async setRef(ref: string, oid: string): Promise<void> {
    await fixtureGit(['update-ref', ref, oid], { cwd: this.bareDir });
  }

  async deleteRef(ref: string): Promise<void> {
    await fixtureGit(['update-ref', '-d', ref], { cwd: this.bareDir });
  }

  /** Drops every object no ref reaches (what a server's gc does some time after a force-push). */
  async pruneUnreachable(): Promise<void> {
    await fixtureGit(['reflog', 'expire', '--expire=now', '--all'], { cwd: this.bareDir });
    await fixtureGit(['gc', '--quiet', '--prune=now'], { cwd: this.bareDir });
  }

  async setConfig(key: string, value: string): Promise<void> {
    await fixtureGit(['config', key, value], { cwd: this.bareDir });
  }

  async revParse(rev: string): Promise<string> {
    return fixtureGit(['rev-parse', '--verify', `${rev}^{commit}`], { cwd: this.bareDir });
  }

  async tryRevParse(rev: string): Promise<string | undefined> {
    try {
      return await this.revParse(rev);
    } catch {
      return undefined;
    }
  }
}

/** Creates an empty bare repository `<root>/<name>.git` (HEAD → main) and returns its helper. */
export async function createFixtureRepo(root: string, name: string): Promise<FixtureRepo> {
  const repo = new FixtureRepo(root, name);
  await mkdir(root, { recursive: true });
  await fixtureGit(['init', '-q', '--bare', '--initial-branch=main', repo.bareDir]);
  return repo;
}
