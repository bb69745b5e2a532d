import { chmod, copyFile, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CommandSpec,
  type GitAuth,
  GitClient,
  INSECURE_HOST_KEY_WARNING,
  PLAIN_HTTP_TOKEN_WARNING,
  runCommand,
} from '../../../src/git/index.ts';
import { captureLogger } from '../../harness/capture-logger.ts';
import {
  type FixtureRepo,
  generateSshKeyPair,
  knownHostsLine,
  startGitHttpServer,
} from '../../harness/git-servers/index.ts';
import { freePort } from '../../harness/net.ts';
import { rejectionOf } from '../../harness/rejection-of.ts';
import { type GitTestEnv, startGitTestEnv } from './git-test-env.ts';

let env: GitTestEnv;
let repo: FixtureRepo;
let commit: string;
let client: GitClient;
const specs: CommandSpec[] = [];
const log = captureLogger();

beforeAll(async () => {
  env = await startGitTestEnv();
  repo = await env.createRepo('auth');
  commit = await repo.commit({ 'a.txt': 'a' });
  client = new GitClient({
    timeoutMs: 30_000,
    pathEnv: process.env.PATH ?? '',
    logger: log.logger,
    runner: (spec) => {
      specs.push(spec);
      return runCommand(spec);
    },
  });
});

afterAll(async () => {
  await client?.close();
  await env?.close();
});

const sshAuth = (overrides: Partial<Extract<GitAuth, { kind: 'ssh' }>> = {}): GitAuth => ({
  kind: 'ssh',
  privateKeyFile: env.ssh.clientKey.privateKeyFile,
  knownHostsFile: env.ssh.knownHostsFile,
  ...overrides,
});
const resolveSsh = (auth: GitAuth) => client.resolveRef({ repo: env.ssh.url('auth'), ref: 'main', auth });
const resolveHttp = (url: string, auth: GitAuth) => client.resolveRef({ repo: url, ref: 'main', auth });

describe('ssh auth', () => {
  it('refuses a key the server does not know with GitAuthFailed (stalling)', async () => {
    const wrong = await generateSshKeyPair(join(await env.scratch('wrongkey'), 'id'));
    const e = await rejectionOf(resolveSsh(sshAuth({ privateKeyFile: wrong.privateKeyFile })));
    expect(e).toMatchObject({ reason: 'GitAuthFailed', kind: 'stalling' });
  });

  it('refuses a server whose host key is not in known_hosts', async () => {
    const dir = await env.scratch('kh');
    const empty = join(dir, 'empty');
    await writeFile(empty, '');
    expect((await rejectionOf(resolveSsh(sshAuth({ knownHostsFile: empty })))).reason).toBe(
      'HostKeyVerificationFailed',
    );
    const other = await generateSshKeyPair(join(dir, 'other_host'));
    const mismatched = join(dir, 'mismatched');
    await writeFile(mismatched, knownHostsLine('127.0.0.1', env.ssh.port, other.publicKey));
    const e = await rejectionOf(resolveSsh(sshAuth({ knownHostsFile: mismatched })));
    expect(e).toMatchObject({ reason: 'HostKeyVerificationFailed', kind: 'stalling' });
  });

  it('never falls back to trusting the host when no known_hosts is given', async () => {
    const auth: GitAuth = { kind: 'ssh', privateKeyFile: env.ssh.clientKey.privateKeyFile };
    const e = await rejectionOf(resolveSsh(auth));
    expect(e.reason).toBe('HostKeyVerificationFailed');
    expect(e.message).toContain('insecureIgnoreHostKey');
  });

  it('accepts any host key only with the explicit insecure switch, and says so in the result', async () => {
    const auth: GitAuth = {
      kind: 'ssh',
      privateKeyFile: env.ssh.clientKey.privateKeyFile,
      insecureIgnoreHostKey: true,
    };
    const resolved = await resolveSsh(auth);
    expect(resolved.commit).toBe(commit);
    expect(resolved.warnings).toEqual([INSECURE_HOST_KEY_WARNING]);
    const dir = join(await env.scratch('insecure'), 'work');
    const fetched = await client.fetchCommit({ repo: env.ssh.url('auth'), commit, auth, dir });
    expect(fetched.warnings).toEqual([INSECURE_HOST_KEY_WARNING]);
    expect(log.text()).toContain('insecure git setting');
  });

  it('refuses an ssh url without ssh auth instead of using the real ~/.ssh', async () => {
    const before = specs.length;
    const e = await rejectionOf(resolveSsh({ kind: 'none' }));
    expect(e).toMatchObject({ reason: 'GitAuthFailed', kind: 'stalling' });
    expect(specs.length).toBe(before); // git never ran
  });

  it('uses a world-readable mounted key (ssh would refuse it) and writes nothing into HOME or known_hosts', async () => {
    const dir = await env.scratch('mounted');
    const key = join(dir, 'ssh-privatekey');
    await copyFile(env.ssh.clientKey.privateKeyFile, key);
    await chmod(key, 0o644);
    const knownHostsBefore = await readFile(env.ssh.knownHostsFile, 'utf8');
    const tmpDir = await env.scratch('home');
    const own = new GitClient({ timeoutMs: 30_000, pathEnv: process.env.PATH ?? '', tmpDir });
    try {
      expect(
        (
          await own.resolveRef({
            repo: env.ssh.url('auth'),
            ref: 'main',
            auth: sshAuth({ privateKeyFile: key }),
          })
        ).commit,
      ).toBe(commit);
      const entries = await readdir(tmpDir, { recursive: true });
      expect(entries.filter((p) => p.includes('.ssh'))).toEqual([]);
      expect(entries.filter((p) => p.includes('call-'))).toEqual([]); // per-call key copies removed
    } finally {
      await own.close();
    }
    expect(await readFile(env.ssh.knownHostsFile, 'utf8')).toBe(knownHostsBefore);
  });
});

describe('token auth and redaction', () => {
  it('warns when a token goes over plain http:// (the test server is http://127.0.0.1)', async () => {
    const resolved = await client.resolveRef({
      repo: env.http.url('auth'),
      ref: 'main',
      auth: env.transports.http.auth,
    });
    expect(resolved.commit).toBe(commit);
    expect(resolved.warnings).toEqual([PLAIN_HTTP_TOKEN_WARNING]);
    const anonymous = await client.resolveRef({ repo: repo.fileUrl, ref: 'main', auth: { kind: 'none' } });
    expect(anonymous.warnings).toEqual([]);
  });

  it('sends the token only through the askpass helper: never in argv, env values or logs', async () => {
    const t = env.transports.http;
    await client.resolveRef({ repo: t.url(repo), ref: 'main', auth: t.auth });
    const dir = join(await env.scratch('tok'), 'work');
    await client.fetchCommit({ repo: t.url(repo), commit, auth: t.auth, dir });
    expect(env.http.stats.authAccepted).toBeGreaterThan(0);
    const seen = JSON.stringify(specs.map((s) => ({ args: s.args, env: s.env })));
    expect(seen).toContain('IGNITION_SYNC_GIT_TOKEN_FILE');
    expect(seen).not.toContain(env.token);
    expect(log.text()).not.toContain(env.token);
    expect(await readFile(join(dir, '.git', 'config'), 'utf8')).not.toContain(env.token);
  });

  it('runs git with only the controlled environment: private HOME and config, no prompts, C locale', async () => {
    const allowed = new Set([
      'PATH',
      'HOME',
      'XDG_CONFIG_HOME',
      'GIT_CONFIG_GLOBAL',
      'GIT_CONFIG_NOSYSTEM',
      'GIT_TERMINAL_PROMPT',
      'GIT_ALLOW_PROTOCOL',
      'GIT_ASKPASS',
      'LC_ALL',
      'LANG',
      'GIT_SSH_COMMAND',
      'GIT_SSH_VARIANT',
      'IGNITION_SYNC_GIT_TOKEN_FILE',
      'IGNITION_SYNC_GIT_USERNAME',
      'LD_PRELOAD',
      'NSS_WRAPPER_PASSWD',
      'NSS_WRAPPER_GROUP',
    ]);
    expect(specs.length).toBeGreaterThan(0);
    for (const spec of specs) {
      expect(Object.keys(spec.env).filter((k) => !allowed.has(k))).toEqual([]);
      expect(spec.env).toMatchObject({ GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C' });
      expect(spec.env.HOME).not.toBe(process.env.HOME);
    }
    const config = await readFile(specs[0]?.env.GIT_CONFIG_GLOBAL ?? '', 'utf8');
    expect(config).toMatch(/directory = \*/);
    expect(config).toMatch(/version = 2/);
  });

  it('reports a rejected token as GitAuthFailed without the token in the message', async () => {
    const wrongToken = 'wrong-t0ken-QWERTYUIOP-1234';
    const tokenFile = join(await env.scratch('wrongtok'), 'token');
    await writeFile(tokenFile, wrongToken);
    const rejectedBefore = env.http.stats.authRejected;
    const e = await rejectionOf(resolveHttp(env.http.url('auth'), { kind: 'token', tokenFile }));
    expect(env.http.stats.authRejected).toBeGreaterThan(rejectedBefore); // it was really sent and refused
    expect(e).toMatchObject({ reason: 'GitAuthFailed', kind: 'stalling' });
    expect(`${e.message} ${String(e.stack)}`).not.toContain(wrongToken);
    const dir = join(await env.scratch('wrongtok-fetch'), 'work');
    const f = await rejectionOf(
      client.fetchCommit({ repo: env.http.url('auth'), commit, auth: { kind: 'token', tokenFile }, dir }),
    );
    expect(f.reason).toBe('GitAuthFailed');
    expect(f.message).not.toContain(wrongToken);
    expect(log.text()).not.toContain(wrongToken);
  });

  it('reports a missing token as GitAuthFailed', async () => {
    expect((await rejectionOf(resolveHttp(env.http.url('auth'), { kind: 'none' }))).reason).toBe(
      'GitAuthFailed',
    );
  });

  it('refuses inline credentials in the url without echoing them', async () => {
    const withPassword = env.http.url('auth').replace('http://', `http://x-access-token:${env.token}@`);
    const withUser = env.http.url('auth').replace('http://', `http://${env.token}@`);
    for (const url of [withPassword, withUser]) {
      const e = await rejectionOf(resolveHttp(url, { kind: 'none' }));
      expect(e).toMatchObject({ reason: 'GitRepoUrlInvalid', kind: 'stalling' });
      expect(e.message).not.toContain(env.token);
      expect(e.message).toContain('[redacted]');
    }
  });

  it('reports an unreadable token file as GitCredentialsUnreadable', async () => {
    const e = await rejectionOf(
      resolveHttp(env.http.url('auth'), { kind: 'token', tokenFile: '/nonexistent/token' }),
    );
    expect(e).toMatchObject({ reason: 'GitCredentialsUnreadable', kind: 'stalling' });
  });

  it('supports GitLab-style oauth2 usernames and reads the token file at call time (rotation)', async () => {
    const server = await startGitHttpServer({
      root: env.root,
      token: 'first-token-1111',
      username: 'oauth2',
    });
    try {
      const tokenFile = join(await env.scratch('rotate'), 'token');
      const auth: GitAuth = { kind: 'token', tokenFile, username: 'oauth2' };
      await writeFile(tokenFile, 'first-token-1111\n');
      expect((await resolveHttp(server.url('auth'), auth)).commit).toBe(commit);
      await writeFile(tokenFile, 'second-token-2222\n');
      expect((await rejectionOf(resolveHttp(server.url('auth'), auth))).reason).toBe('GitAuthFailed');
    } finally {
      await server.close();
    }
  });
});

describe('network failures', () => {
  let silent: Server;
  let port: number;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    silent = createServer((socket) => {
      sockets.push(socket); // accept and never answer
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    port = typeof address === 'object' && address !== null ? address.port : 0;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('times out a server that never answers with GitTimeout (transient)', async () => {
    const quick = new GitClient({ timeoutMs: 1_500, pathEnv: process.env.PATH ?? '' });
    try {
      const e = await rejectionOf(
        quick.resolveRef({ repo: `http://127.0.0.1:${port}/r.git`, ref: 'main', auth: { kind: 'none' } }),
      );
      expect(e).toMatchObject({ reason: 'GitTimeout', kind: 'transient' });
    } finally {
      await quick.close();
    }
  });

  it('stops when the caller aborts', async () => {
    const controller = new AbortController();
    silent.once('connection', () => controller.abort());
    const e = await rejectionOf(
      client.resolveRef({
        repo: `http://127.0.0.1:${port}/r.git`,
        ref: 'main',
        auth: { kind: 'none' },
        signal: controller.signal,
      }),
    );
    expect(e.reason).toBe('GitAborted');
  });

  it('reports a refused connection as GitUnreachable', async () => {
    const closed = await freePort();
    const e = await rejectionOf(
      client.resolveRef({ repo: `http://127.0.0.1:${closed}/r.git`, ref: 'main', auth: { kind: 'none' } }),
    );
    expect(e).toMatchObject({ reason: 'GitUnreachable', kind: 'transient' });
  });

  it('reports a missing repository as GitRepositoryNotFound on every transport', async () => {
    for (const t of Object.values(env.transports)) {
      const url = t.url(repo).replace('auth.git', 'missing.git');
      const e = await rejectionOf(client.resolveRef({ repo: url, ref: 'main', auth: t.auth }));
      expect(e.reason, t.name).toBe('GitRepositoryNotFound');
    }
  });
});
