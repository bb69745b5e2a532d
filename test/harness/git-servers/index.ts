export { fixtureGit, fixtureGitEnv } from './fixture-git.ts';
export { type CommitOptions, createFixtureRepo, type FixtureFile, FixtureRepo } from './fixture-repo.ts';
export {
  GIT_HTTP_BACKEND,
  type GitHttpServer,
  type GitHttpServerOptions,
  startGitHttpServer,
} from './http-git-server.ts';
export {
  parseGitCommand,
  type SshGitServer,
  type SshGitServerOptions,
  startSshGitServer,
} from './ssh-git-server.ts';
export { generateSshKeyPair, knownHostsLine, type SshKeyPair } from './ssh-keys.ts';
