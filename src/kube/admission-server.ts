import { unwatchFile, watchFile } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { OperatorError, toOperatorError } from '../errors.ts';
import type { Logger } from '../observability/index.ts';
import { KubeReasons } from '../reasons/index.ts';
import type { AdmissionHandler } from './admission-review.ts';
import { parseAdmissionReview, toAdmissionResponse } from './admission-review.ts';
import type { Runnable } from './runnable.ts';

export interface AdmissionServerOptions {
  /** PEM files, e.g. a mounted cert-manager Secret; reloaded when they change. */
  readonly certFile: string;
  readonly keyFile: string;
  /** URL path → pure handler, e.g. `{ '/mutate-pod': injectSidecar }`. */
  readonly handlers: Readonly<Record<string, AdmissionHandler>>;
  readonly logger: Logger;
  readonly host?: string;
  /** 0 picks a free port (tests). Default 9443. */
  readonly port?: number;
  readonly bodyLimitBytes?: number;
  /** How often the cert files are checked for changes. Default 2000 ms. */
  readonly certPollMs?: number;
}

async function readPair(certFile: string, keyFile: string): Promise<{ cert: Buffer; key: Buffer }> {
  try {
    const [cert, key] = await Promise.all([readFile(certFile), readFile(keyFile)]);
    return { cert, key };
  } catch (e: unknown) {
    throw new OperatorError(
      KubeReasons.CertificateLoadFailed,
      `load webhook certificate failed: ${toOperatorError(e, KubeReasons.CertificateLoadFailed).message}`,
      {
        kind: 'stalling',
        cause: e,
      },
    );
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendJson(res: ServerResponse, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/**
 * HTTPS server for AdmissionReview v1 webhooks (controller-runtime's webhook server): routes by path to pure
 * handlers, answers every well-formed review with a response echoing its uid (a handler error becomes
 * `allowed:false` with code 500, so `failurePolicy` decides; it never drops the connection), and hot-reloads the
 * certificate when the files change (`setSecureContext`). It runs on every replica (`needsLeader: false`).
 */
export class AdmissionServer implements Runnable {
  readonly name = 'admission-server';
  readonly needsLeader = false;
  readonly #o: AdmissionServerOptions;
  readonly #log: Logger;
  #server: Server | undefined;
  #listening: Promise<number> | undefined;
  #reloads = 0;

  constructor(options: AdmissionServerOptions) {
    this.#o = options;
    this.#log = options.logger.child({ component: 'admission' });
  }

  /** Number of successful certificate reloads (observability, tests). */
  get reloads(): number {
    return this.#reloads;
  }

  /** Resolves with the bound port once listening. */
  async listen(): Promise<number> {
    this.#listening ??= this.#doListen();
    return this.#listening;
  }

  async #doListen(): Promise<number> {
    const pair = await readPair(this.#o.certFile, this.#o.keyFile);
    const server = createServer({ ...pair, minVersion: 'TLSv1.2' }, (req, res) => {
      this.#serve(req, res).catch((e: unknown) => {
        this.#log.error({ err: e }, 'admission request failed');
        if (!res.headersSent) sendJson(res, 500, { message: 'internal error' });
      });
    });
    this.#server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#o.port ?? 9443, this.#o.host ?? '0.0.0.0', () => resolve());
    });
    const watch = (): void => {
      this.reloadCertificate().catch(() => undefined);
    };
    const interval = this.#o.certPollMs ?? 2000;
    watchFile(this.#o.certFile, { interval, persistent: false }, watch);
    watchFile(this.#o.keyFile, { interval, persistent: false }, watch);
    const port = (server.address() as AddressInfo).port;
    this.#log.info({ port }, 'admission server listening');
    return port;
  }

  /** Re-reads the certificate files and swaps the TLS context; keeps the old one when they are unreadable or invalid. */
  async reloadCertificate(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    try {
      server.setSecureContext(await readPair(this.#o.certFile, this.#o.keyFile));
      this.#reloads += 1;
      this.#log.info('webhook certificate reloaded');
    } catch (e: unknown) {
      const err = toOperatorError(e, KubeReasons.CertificateLoadFailed);
      this.#log.warn(
        { err: { message: err.message } },
        'webhook certificate reload failed, keeping the old one',
      );
      throw err;
    }
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.listen();
    if (!signal.aborted)
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await this.close();
  }

  async close(): Promise<void> {
    unwatchFile(this.#o.certFile);
    unwatchFile(this.#o.keyFile);
    const server = this.#server;
    this.#server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'https://localhost').pathname;
    const handler = this.#o.handlers[path];
    if (handler === undefined) return sendJson(res, 404, { message: 'no admission handler for this path' });
    if (req.method !== 'POST') return sendJson(res, 405, { message: 'admission reviews are POSTed' });
    const body = await readBody(req, this.#o.bodyLimitBytes ?? 3 * 1024 * 1024);
    if (body === undefined) return sendJson(res, 413, { message: 'admission review too large' });
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return sendJson(res, 400, { message: 'admission review is not JSON' });
    }
    const parsed = parseAdmissionReview(json);
    if ('error' in parsed) return sendJson(res, 400, { message: parsed.error });
    const { request } = parsed;
    const log = this.#log.child({
      uid: request.uid,
      path,
      operation: request.operation,
      namespace: request.namespace,
    });
    try {
      const decision = await handler(request);
      log.debug({ allowed: decision.allowed }, 'admission decided');
      sendJson(res, 200, toAdmissionResponse(request.uid, decision));
    } catch (e: unknown) {
      const err = toOperatorError(e, KubeReasons.AdmissionFailed);
      log.error({ err: { message: err.message }, reason: err.reason }, 'admission handler failed');
      sendJson(
        res,
        200,
        toAdmissionResponse(request.uid, {
          allowed: false,
          code: 500,
          message: err.message,
          reason: err.reason,
        }),
      );
    }
  }
}
