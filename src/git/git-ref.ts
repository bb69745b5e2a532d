import { gitError } from './git-error.ts';

const FULL_SHA = /^[0-9a-f]{40}$/;

/** True for a full 40-hex (SHA-1) commit id, lower case. */
export function isFullCommitSha(s: string): boolean {
  return FULL_SHA.test(s);
}

/**
 * A conservative subset of `git check-ref-format` rules, enough that a ref can never be read as an
 * option or a pattern: no leading `-`, no whitespace/control characters, none of `~^:?*[\`, no `..`,
 * no `@{`, no `//`, no component starting with `.` or ending with `.lock`, no trailing `/` or `.`.
 */
export function isSafeGitRef(ref: string): boolean {
  if (ref.length === 0 || ref.length > 1024) return false;
  if (ref.startsWith('-') || ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.')) return false;
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(ref)) return false;
  if (ref.includes('..') || ref.includes('@{') || ref.includes('//') || ref === '@') return false;
  return ref.split('/').every((part) => !part.startsWith('.') && !part.endsWith('.lock'));
}

export function assertSafeGitRef(ref: string): void {
  if (!isSafeGitRef(ref)) {
    throw gitError(
      'GitRefInvalid',
      `invalid git ref ${JSON.stringify(ref.slice(0, 200))}: not a valid ref name`,
    );
  }
}

export function assertFullCommitSha(commit: string): void {
  if (!isFullCommitSha(commit)) {
    throw gitError(
      'GitRefInvalid',
      `invalid commit ${JSON.stringify(commit.slice(0, 80))}: expected a full 40-hex commit id`,
    );
  }
}
