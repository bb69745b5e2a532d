import { gitError } from './git-error.ts';
import { redactUrl } from './redact.ts';

export type GitTransport = 'ssh' | 'http' | 'file';

export interface ParsedRepoUrl {
  /** The URL handed to git (unchanged: credentials are refused, never silently stripped). */
  readonly url: string;
  readonly transport: GitTransport;
}

const SCP_LIKE = /^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:(?!\/\/)[^\s]+$/;

/**
 * Validates a repository location and tells which transport it uses. Accepts `ssh://`, `git+ssh://`,
 * scp-like `git@host:path`, `https://`, `http://` and `file://` (plus absolute paths). Refuses anything
 * that could be read as an option (leading `-`), other transports (`ext::`, `fd::`), control characters
 * and inline passwords (`https://user:token@host`): tokens belong in a file, never in a URL.
 */
export function parseRepoUrl(repo: string): ParsedRepoUrl {
  const shown = redactUrl(repo);
  const invalid = (why: string) => gitError('GitRepoUrlInvalid', `invalid repository url ${shown}: ${why}`);
  if (repo.length === 0) throw invalid('empty');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(repo)) throw invalid('contains control characters');
  if (repo.startsWith('-')) throw invalid('must not start with "-"');
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(repo)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    if (repo.startsWith('/')) return { url: repo, transport: 'file' };
    if (repo.includes('::')) throw invalid('remote helper transports are not allowed');
    if (SCP_LIKE.test(repo)) return { url: repo, transport: 'ssh' };
    throw invalid('not a url, scp-like ssh address or absolute path');
  }
  let parsed: URL;
  try {
    parsed = new URL(repo);
  } catch {
    throw invalid('cannot be parsed');
  }
  if (parsed.password !== '') throw invalid('inline credentials are not allowed; use a token file');
  switch (scheme) {
    case 'ssh':
    case 'git+ssh':
      return { url: repo, transport: 'ssh' };
    case 'http':
    case 'https':
      if (parsed.username !== '') throw invalid('inline credentials are not allowed; use a token file');
      return { url: repo, transport: 'http' };
    case 'file':
      return { url: repo, transport: 'file' };
    default:
      throw invalid(`unsupported scheme "${scheme}"`);
  }
}
