/**
 * Git ref syntax, checked before a ref reaches git (webhook bodies, `spec.git.ref`, annotations).
 * Pure: the rules of `git check-ref-format --allow-onelevel`, plus a ban on a leading `-` so that a ref can
 * never be read as a command-line option, and a length cap.
 */

/** Longest ref we accept (git itself has no limit; file systems and Kubernetes annotations do). */
export const MAX_GIT_REF_LENGTH = 255;

// Control characters, DEL, space and the characters git forbids anywhere in a ref: ~ ^ : ? * [ \
// biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
const FORBIDDEN_CHARACTERS = /[\x00-\x20\x7f~^:?*[\\]/;

/**
 * Whether `ref` is a syntactically valid git ref: a branch or tag short name (`main`, `v1.2.3`,
 * `release/2026`), a full ref name (`refs/tags/v1`) or a commit SHA.
 *
 * @example isValidGitRef('release/2.0') // true
 * @example isValidGitRef('feature..x') // false
 */
export function isValidGitRef(ref: string): boolean {
  if (ref.length === 0 || ref.length > MAX_GIT_REF_LENGTH) return false;
  if (ref === '@' || ref.startsWith('-')) return false;
  if (FORBIDDEN_CHARACTERS.test(ref)) return false;
  if (ref.includes('..') || ref.includes('@{') || ref.includes('//')) return false;
  if (ref.startsWith('/') || ref.endsWith('/') || ref.endsWith('.')) return false;
  return ref.split('/').every((component) => !component.startsWith('.') && !component.endsWith('.lock'));
}

/** Explains why `ref` is not valid (for validation messages), or returns undefined when it is. */
export function explainInvalidGitRef(ref: string): string | undefined {
  if (ref.length === 0) return 'must not be empty';
  if (ref.length > MAX_GIT_REF_LENGTH) return `must be at most ${MAX_GIT_REF_LENGTH} characters`;
  if (isValidGitRef(ref)) return undefined;
  return 'must be a valid git branch, tag or commit (git check-ref-format rules)';
}

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Whether `s` is a full commit object name: 40 lowercase hex digits (SHA-1) or 64 (SHA-256 repositories).
 * Abbreviated SHAs are not accepted: they are ambiguous and cannot be fetched by name.
 */
export function isFullCommitSha(s: string): boolean {
  return FULL_SHA.test(s);
}
