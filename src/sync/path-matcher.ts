import picomatch from 'picomatch';
import { ancestorsOf } from './safe-path.ts';

/**
 * Glob matching for exclude and protected patterns, against paths relative to the data directory.
 * `**` spans segments, `*` stays inside one, dot-files match like any name. A trailing `/` means "this
 * directory and everything below it" (it never matches a file of that name); a pattern without one matches
 * a file or a directory of that name, and a matched directory covers everything below it (gitignore-like).
 */
export interface PathMatcher {
  /** Does a pattern match this very path (ancestors not considered)? Walks use this while descending. */
  matchesSelf(path: string, isDirectory: boolean): boolean;
  /** Does a pattern match this path or any directory above it? */
  matches(path: string, isDirectory: boolean): boolean;
  readonly patterns: readonly string[];
}

const NEVER = (): boolean => false;

export function createPathMatcher(patterns: readonly string[]): PathMatcher {
  const anyKind: string[] = [];
  const fileKind: string[] = [];
  for (const raw of patterns) {
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    const isDirOnly = trimmed.endsWith('/');
    const body = trimmed
      .replace(/\/+$/, '')
      .replace(/^(\.\/)+/, '')
      .replace(/^\/+/, '');
    if (body === '') continue;
    anyKind.push(body);
    if (!isDirOnly) fileKind.push(body);
  }
  const dirMatch = anyKind.length === 0 ? NEVER : picomatch(anyKind, { dot: true });
  const fileMatch = fileKind.length === 0 ? NEVER : picomatch(fileKind, { dot: true });
  const matchesSelf = (path: string, isDirectory: boolean): boolean =>
    isDirectory ? dirMatch(path) : fileMatch(path);
  return {
    patterns: [...patterns],
    matchesSelf,
    matches(path, isDirectory) {
      if (anyKind.length === 0) return false;
      for (const dir of ancestorsOf(path)) if (dirMatch(dir)) return true;
      return matchesSelf(path, isDirectory);
    },
  };
}
