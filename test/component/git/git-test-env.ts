import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitAuth } from '../../../src/git/index.ts';
import {
  createFixtureRepo,
  type FixtureRepo,
  type GitHttpServer,
  type SshGitServer,
  startGitHttpServer,
  startSshGitServer,
} from '../../harness/git-servers/index.ts';

export type TransportName = 'file' | 'http' | 'ssh';

export interface Transport {
  readonly name: TransportName;
  url(repo: FixtureRepo): string;
  readonly auth: GitAuth;
}

/** Three real transports over one directory of bare repositories, torn down by `close()`. */
export interface GitTestEnv {
  readonly root: string;
  readonly token: string;
  readonly tokenFile: string;
  readonly http: GitHttpServer;
  readonly ssh: SshGitServer;
  readonly transports: Readonly<Record<TransportName, Transport>>;
  createRepo(name: string): Promise<FixtureRepo>;
  /** A fresh scratch directory inside the env (removed on close). */
  scratch(prefix: string): Promise<string>;
  close(): Promise<void>;
}

export const TOKEN = 'tok-5ecr3t-ABCDEFGHIJKLMNOP';

export async function startGitTestEnv(): Promise<GitTestEnv> {
  const base = await mkdtemp(join(tmpdir(), 'git-component-'));
  const root = join(base, 'repos');
  const tokenFile = join(base, 'token');
  await writeFile(tokenFile, `${TOKEN}\n`, { mode: 0o600 });
  const [http, ssh] = await Promise.all([
    startGitHttpServer({ root, token: TOKEN, username: 'x-access-token' }),
    startSshGitServer({ root }),
  ]);
  const transports: Record<TransportName, Transport> = {
    file: { name: 'file', url: (r) => r.fileUrl, auth: { kind: 'none' } },
    http: { name: 'http', url: (r) => http.url(r.name), auth: { kind: 'token', tokenFile } },
    ssh: {
      name: 'ssh',
      url: (r) => ssh.url(r.name),
      auth: { kind: 'ssh', privateKeyFile: ssh.clientKey.privateKeyFile, knownHostsFile: ssh.knownHostsFile },
    },
  };
  return {
    root,
    token: TOKEN,
    tokenFile,
    http,
    ssh,
    transports,
    createRepo: (name) => createFixtureRepo(root, name),
    scratch: (prefix) => mkdtemp(join(base, `${prefix}-`)),
    close: async () => {
      await Promise.all([http.close(), ssh.close()]);
      await rm(base, { recursive: true, force: true });
    },
  };
}
