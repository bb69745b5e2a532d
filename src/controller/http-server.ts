import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Runnable } from '../kube/index.ts';

export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** `host:port` of a bound address (IPv6 in brackets). */
export function formatAddress(a: AddressInfo): string {
  return a.family === 'IPv6' ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`;
}

/** A plain HTTP server as a Runnable on every replica (webhook receiver, probes and metrics). */
export class HttpServerRunnable implements Runnable {
  readonly name: string;
  readonly needsLeader = false;
  readonly #server: Server;
  readonly #listen: ListenAddress;
  #bound: Promise<AddressInfo> | undefined;

  constructor(name: string, listen: ListenAddress, handler: RequestListener) {
    this.name = name;
    this.#listen = listen;
    this.#server = createServer(handler);
    this.#server.requestTimeout = 30_000;
    this.#server.headersTimeout = 10_000;
  }

  /** Binds once; resolves with the bound address. */
  listen(): Promise<AddressInfo> {
    this.#bound ??= new Promise((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.#listen.port, this.#listen.host, () => {
        this.#server.off('error', reject);
        resolve(this.#server.address() as AddressInfo);
      });
    });
    return this.#bound;
  }

  async start(signal: AbortSignal): Promise<void> {
    await this.listen();
    if (!signal.aborted)
      await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    await this.close();
  }

  /** Stops accepting, answers requests in flight, cuts idle and (after 2 s) remaining connections. */
  async close(): Promise<void> {
    if (!this.#server.listening) return;
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
      setTimeout(() => this.#server.closeAllConnections(), 2_000).unref();
    });
  }
}
