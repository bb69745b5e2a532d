export { GIT_REASON_KINDS, type GitReason, GitReasons } from '../reasons/index.ts';
export { type CommandResult, type CommandRunner, type CommandSpec, runCommand } from './command-runner.ts';
export {
  DEFAULT_TOKEN_USERNAME,
  type GitAuth,
  INSECURE_HOST_KEY_WARNING,
  PLAIN_HTTP_TOKEN_WARNING,
} from './credentials.ts';
export type { FetchMethod } from './fetch-commit.ts';
export {
  type DiffRequest,
  type FetchCommitRequest,
  type FetchCommitResult,
  GitClient,
  type GitClientOptions,
  type ListTreeRequest,
  type ResolveRefRequest,
  type ResolveRefResult,
} from './git-client.ts';
export type { RefKind, ResolvedRef } from './ls-remote.ts';
export { SUBMODULE_MODE, SYMLINK_MODE, type TreeEntry, type TreeEntryType } from './ls-tree.ts';
export type { Change, ChangeStatus } from './name-status.ts';
export { REDACTED, redact, redactUrl } from './redact.ts';
export { type GitTransport, parseRepoUrl } from './repo-url.ts';
