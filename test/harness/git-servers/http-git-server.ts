import { spawn } from 'node:child_process';
import { timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';

export const GIT_HTTP_BACKEND = '/usr/lib/git-core/git-http-backend';

export interface GitHttpServerOptions {
  /** Directory holding the bare repositories (`<root>/<name>.git`). */
  readonly root: string;
  /** When set, every request needs HTTP Basic auth whose password is this token. */
  readonly token?: string;
  /** When set, the Basic-auth username must be this too (e.g. `x-access-token`); default: any. */
  readonly username?: string;
  /** Forward the client's `Git-Protocol` header so protocol v2 is spoken (default true). false: a v0-only server. */
  readonly protocolV2?: boolean;
  readonly httpBackend?: string;
}

export interface GitHttpServer {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** URL of `<root>/<name>.git`. */
  url(name: string): string;
  /** Requests rejected with 401 after credentials were sent (not the initial anonymous probe). */
  readonly stats: { requests: number; authRejected: number; authAccepted: number };
  close(): Promise<void>;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

type AuthOutcome = 'ok' | 'missing' | 'rejected';

function checkAuth(
  req: IncomingMessage,
  options: GitHttpServerOptions,
): { outcome: AuthOutcome; user?: string } {
  if (options.token === undefined) return { outcome: 'ok' };
  const header = req.headers.authorization;
  if (header === undefined || !/^basic /i.test(header)) return { outcome: 'missing' };
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const user = colon === -1 ? decoded : decoded.slice(0, colon);
  const password = colon === -1 ? '' : decoded.slice(colon + 1);
  const userOk = options.username === undefined || safeEqual(user, options.username);
  return safeEqual(password, options.token) && userOk ? { outcome: 'ok', user } : { outcome: 'rejected' };
}

/** Runs git-http-backend as a CGI for one request and streams its response back. */
function serveCgi(
  req: IncomingMessage,
  res: ServerResponse,
  options: GitHttpServerOptions,
  user?: string,
): void {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: tmpdir(),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_PROJECT_ROOT: options.root,
    GIT_HTTP_EXPORT_ALL: '1',
    GATEWAY_INTERFACE: 'CGI/1.1',
    REQUEST_METHOD: req.method ?? 'GET',
    PATH_INFO: decodeURIComponent(url.pathname),
    QUERY_STRING: url.search.replace(/^\?/, ''),
    CONTENT_TYPE: req.headers['content-type'] ?? '',
    REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
  };
  if (req.headers['content-length'] !== undefined) env.CONTENT_LENGTH = req.headers['content-length'];
  if (req.headers['content-encoding'] !== undefined)
    env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
  const protocol = req.headers['git-protocol'];
  if (options.protocolV2 !== false && typeof protocol === 'string') env.GIT_PROTOCOL = protocol;
  if (user !== undefined) env.REMOTE_USER = user;

  const cgi = spawn(options.httpBackend ?? GIT_HTTP_BACKEND, [], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  req.pipe(cgi.stdin);
  cgi.stdin.on('error', () => {});
  cgi.stderr.resume();
  let head = Buffer.alloc(0);
  let headersDone = false;
  cgi.stdout.on('data', (chunk: Buffer) => {
    if (headersDone) {
      res.write(chunk);
      return;
    }
    head = Buffer.concat([head, chunk]);
    const crlf = head.indexOf('\r\n\r\n');
    const lf = head.indexOf('\n\n');
    const end = crlf !== -1 && (lf === -1 || crlf < lf) ? crlf + 4 : lf !== -1 ? lf + 2 : -1;
    if (end === -1) return;
    headersDone = true;
    let status = 200;
    for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const name = line.slice(0, colon).trim();
      const value = line.slice(colon + 1).trim();
      if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 500;
      else res.setHeader(name, value);
    }
    res.writeHead(status);
    res.write(head.subarray(end));
  });
  cgi.on('close', () => {
    if (!headersDone) res.writeHead(502);
    res.end();
  });
  cgi.on('error', () => {
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
}

/**
 * Smart-HTTP git server on 127.0.0.1:<random port>: node:http in front of the real `git http-backend`
 * CGI, with optional token (HTTP Basic password) auth checked in constant time.
 */
export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
  const stats = { requests: 0, authRejected: 0, authAccepted: 0 };
  const server = createServer((req, res) => {
    stats.requests += 1;
    const auth = checkAuth(req, options);
    if (auth.outcome !== 'ok') {
      if (auth.outcome === 'rejected') stats.authRejected += 1;
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"', 'Content-Type': 'text/plain' });
      res.end('authentication required\n');
      req.resume();
      return;
    }
    if (options.token !== undefined) stats.authAccepted += 1;
    try {
      serveCgi(req, res, options, auth.user);
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    url: (name) => `${baseUrl}/${name}.git`,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
