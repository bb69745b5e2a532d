import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import ssh2 from 'ssh2';
import { generateSshKeyPair, knownHostsLine, type SshKeyPair } from './ssh-keys.ts';

const { Server, utils } = ssh2;

export interface SshGitServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  readonly root: string;
}

export interface SshGitServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The account clients log in as (the user running the tests); any other user name is refused. */
  readonly user: string;
  /** `ssh://<user>@127.0.0.1:<port>/<root>/<name>.git` */
  url(name: string): string;
  /** The authorised client key. */
  readonly clientKey: SshKeyPair;
  readonly hostKey: SshKeyPair;
  /** known_hosts file that trusts this server's host key. */
  readonly knownHostsFile: string;
  /** Working directory of the server (keys); tests may put extra key files here. */
  readonly dir: string;
  /** What the server did so far (authentications, commands, exits), for debugging failed tests. */
  logs(): string;
  close(): Promise<void>;
}

/** Git's two remote commands, as `git` sends them over SSH: `git-upload-pack '<path>'`. */
const GIT_COMMAND =
  /^(git-upload-pack|git-receive-pack|git upload-pack|git receive-pack) '((?:[^']|'\\'')*)'$/;

/**
 * The repository path of a git remote command, or an error message. Git quotes the path the POSIX-shell way
 * (`'` becomes `'\''`); only paths inside `root` are served.
 */
export function parseGitCommand(
  command: string,
  root: string,
): { program: 'git-upload-pack' | 'git-receive-pack'; path: string } | { error: string } {
  const m = GIT_COMMAND.exec(command);
  if (m === null) return { error: 'only git fetch and push are allowed' };
  const program = (m[1] ?? '').replace(' ', '-') as 'git-upload-pack' | 'git-receive-pack';
  const path = resolve('/', (m[2] ?? '').replaceAll("'\\''", "'"));
  const inside = relative(resolve(root), path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside))
    return { error: `no such repository: ${path}` };
  return { program, path };
}

/** A constant-time check that the offered public key is the authorised one. */
function isAuthorisedKey(offered: { algo: string; data: Buffer }, authorised: ssh2.ParsedKey): boolean {
  const want = authorised.getPublicSSH();
  return (
    offered.algo === authorised.type &&
    offered.data.length === want.length &&
    timingSafeEqual(offered.data, want)
  );
}

/**
 * An SSH server (the `ssh2` npm package) on 127.0.0.1:<free port> with generated ed25519 host and client keys,
 * speaking to the real OpenSSH client that git runs. Key auth only, one user, no shell, no forwarding: an exec
 * request may only run the real `git-upload-pack` / `git-receive-pack` on a repository under `root`, with the
 * client's `GIT_PROTOCOL` (so protocol v2 works). Needs no system sshd and no root.
 */
export async function startSshGitServer(options: SshGitServerOptions): Promise<SshGitServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ssh-git-server-'));
  const user = userInfo().username;
  const [hostKey, clientKey] = await Promise.all([
    generateSshKeyPair(join(dir, 'host_ed25519'), 'host'),
    generateSshKeyPair(join(dir, 'client_ed25519'), 'client'),
  ]);
  const authorised = utils.parseKey(clientKey.publicKey);
  if (authorised instanceof Error) throw authorised;
  const log: string[] = [];
  const note = (line: string): void => {
    log.push(`${line}\n`);
  };

  const server = new Server({ hostKeys: [await readFile(hostKey.privateKeyFile)] }, (client) => {
    client.on('error', (e) => note(`client error: ${e.message}`));
    client.on('authentication', (ctx) => {
      if (ctx.method !== 'publickey' || ctx.username !== user || !isAuthorisedKey(ctx.key, authorised)) {
        note(`auth rejected: ${ctx.method} for ${ctx.username}`);
        ctx.reject(['publickey']);
        return;
      }
      // Without a signature the client only asks whether this key would do; with one, it proves it holds it.
      if (ctx.signature !== undefined && ctx.blob !== undefined) {
        if (authorised.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) {
          note(`auth rejected: bad signature for ${ctx.username}`);
          ctx.reject(['publickey']);
          return;
        }
        note(`auth accepted: publickey for ${ctx.username}`);
      }
      ctx.accept();
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        const env: Record<string, string> = {};
        session.on('env', (accept, _reject, info) => {
          if (info.key === 'GIT_PROTOCOL') env.GIT_PROTOCOL = info.val;
          accept?.();
        });
        session.on('pty', (_accept, reject) => reject?.());
        session.on('shell', (_accept, reject) => reject?.());
        session.on('exec', (accept, _reject, info) => {
          const stream = accept();
          const parsed = parseGitCommand(info.command, options.root);
          if ('error' in parsed) {
            note(`refused: ${info.command}`);
            stream.stderr.write(`${parsed.error}\n`);
            stream.exit(1);
            stream.end();
            return;
          }
          note(`exec: ${parsed.program} ${parsed.path} (GIT_PROTOCOL=${env.GIT_PROTOCOL ?? ''})`);
          const child = spawn(parsed.program, [parsed.path], {
            env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, ...env },
            stdio: ['pipe', 'pipe', 'pipe'],
          });
          stream.pipe(child.stdin);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          child.on('error', (e) => note(`spawn failed: ${e.message}`));
          child.on('close', (code) => {
            note(`exit: ${parsed.program} ${String(code)}`);
            stream.exit(code ?? 1);
            stream.end();
          });
        });
      });
    });
  });
  const connections = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
  });
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done());
  });
  const port = (server.address() as AddressInfo).port;
  const knownHostsFile = join(dir, 'known_hosts');
  await writeFile(knownHostsFile, knownHostsLine('127.0.0.1', port, hostKey.publicKey));
  return {
    host: '127.0.0.1',
    port,
    user,
    url: (name) => `ssh://${user}@127.0.0.1:${port}${join(options.root, `${name}.git`)}`,
    clientKey,
    hostKey,
    knownHostsFile,
    dir,
    logs: () => log.join(''),
    close: async () => {
      const closed = new Promise<void>((done) => server.close(() => done()));
      for (const socket of connections) socket.destroy();
      await closed;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
