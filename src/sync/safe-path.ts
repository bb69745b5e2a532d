import { OperatorError } from '../errors.ts';
import { SyncReasons } from '../reasons/index.ts';

/**
 * Normalises a relative path from a profile or from git: strips `./`, duplicate and trailing slashes.
 * Returns `''` for the root (`.`, `./`, `''`). Rejects absolute paths, `..` segments and NUL bytes with
 * PathTraversalBlocked: such a path could leave the repository or the data directory.
 *
 * @example normalizeRelativePath('projects/', 'destination') // 'projects'
 */
export function normalizeRelativePath(input: string, what: string): string {
  if (input.includes('\0')) throw traversal(what, input, 'contains a NUL byte');
  if (input.startsWith('/')) throw traversal(what, input, 'is absolute');
  const segments: string[] = [];
  for (const segment of input.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') throw traversal(what, input, "contains '..'");
    segments.push(segment);
  }
  return segments.join('/');
}

function traversal(what: string, input: string, why: string): OperatorError {
  return new OperatorError(SyncReasons.PathTraversalBlocked, `${what} ${JSON.stringify(input)} ${why}`, {
    kind: 'stalling',
    details: { path: input },
  });
}

/** `path` equals `root` or lies below it. The root `''` contains everything. */
export function isUnder(path: string, root: string): boolean {
  return root === '' || path === root || path.startsWith(`${root}/`);
}

/** Path of `path` relative to `root` (which must contain it). */
export function relativeTo(path: string, root: string): string {
  if (root === '') return path;
  return path === root ? '' : path.slice(root.length + 1);
}

export function joinPath(base: string, rel: string): string {
  if (base === '') return rel;
  if (rel === '') return base;
  return `${base}/${rel}`;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function baseNameOf(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Proper ancestors of `path`, deepest first, without the root `''`. */
export function ancestorsOf(path: string): string[] {
  const out: string[] = [];
  let i = path.lastIndexOf('/');
  while (i > 0) {
    out.push(path.slice(0, i));
    i = path.lastIndexOf('/', i - 1);
  }
  return out;
}

/** Depth-first order for directory removal: deeper paths first, ties by name (deterministic). */
export function compareDeepestFirst(a: string, b: string): number {
  const da = a.split('/').length;
  const db = b.split('/').length;
  if (da !== db) return db - da;
  return a < b ? -1 : a > b ? 1 : 0;
}
