import { lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** path → content (string) or {content, mode} or {symlink: target}. */
export type TreeSpec = Record<string, string | { content: string; mode: number } | { symlink: string }>;

export async function makeTempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `ignsync-${prefix}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

export async function writeTree(root: string, spec: TreeSpec): Promise<void> {
  const { symlink, chmod } = await import('node:fs/promises');
  for (const [path, value] of Object.entries(spec)) {
    const abs = join(root, path);
    await mkdir(dirname(abs), { recursive: true });
    if (typeof value === 'string') await writeFile(abs, value);
    else if ('symlink' in value) await symlink(value.symlink, abs);
    else {
      await writeFile(abs, value.content);
      await chmod(abs, value.mode);
    }
  }
}

export interface TreeFile {
  readonly content: string;
  readonly mode: number;
  readonly kind: 'file' | 'symlink';
  readonly mtimeMs: number;
  readonly ino: number;
}

/** Every file/symlink below root (relative paths), optionally skipping some top-level names. */
export async function readTree(
  root: string,
  skipTop: readonly string[] = [],
): Promise<Map<string, TreeFile>> {
  const out = new Map<string, TreeFile>();
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (rel === '' && skipTop.includes(entry.name)) continue;
      const abs = join(root, path);
      const st = await lstat(abs);
      if (entry.isDirectory()) await visit(path);
      else if (entry.isSymbolicLink()) {
        out.set(path, {
          content: await readlink(abs),
          mode: 0,
          kind: 'symlink',
          mtimeMs: st.mtimeMs,
          ino: st.ino,
        });
      } else {
        const content = await readFile(abs, 'utf8');
        out.set(path, { content, mode: st.mode & 0o777, kind: 'file', mtimeMs: st.mtimeMs, ino: st.ino });
      }
    }
  };
  await visit('');
  return out;
}

/** Directory paths (relative) below root. */
export async function readDirs(root: string): Promise<Set<string>> {
  const out = new Set<string>();
  const visit = async (rel: string): Promise<void> => {
    for (const entry of await readdir(join(root, rel), { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      out.add(path);
      await visit(path);
    }
  };
  await visit('');
  return out;
}

export function contentsOf(tree: Map<string, TreeFile>): Record<string, string> {
  return Object.fromEntries([...tree].map(([p, f]) => [p, f.content]).sort(([a], [b]) => (a! < b! ? -1 : 1)));
}
