import { isFullCommitSha, isValidGitRef } from '../api/index.ts';
import { gitError } from './git-error.ts';

export { isFullCommitSha };

/** Refuses a ref that git could read as an option or a pattern (the api's check-ref-format rules). */
export function assertSafeGitRef(ref: string): void {
  if (!isValidGitRef(ref)) {
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
      `invalid commit ${JSON.stringify(commit.slice(0, 80))}: expected a full commit id (40 or 64 hex digits)`,
    );
  }
}
