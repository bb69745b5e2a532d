import { OperatorError } from '../../errors.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import {
  type DesignerSession,
  DesignerSessionSchema,
  type GatewayInfo,
  GatewayInfoSchema,
  listEnvelope,
  type ScanKind,
  type ScanLock,
  ScanLockSchema,
  type ScanStatus,
  ScanStatusSchema,
  type StatusPing,
  StatusPingSchema,
} from '../gateway-types.ts';
import { type GwInfo, parseGwInfo } from '../gwinfo.ts';
import { type GatewayConnectionOptions, GatewayTransport, parseBody } from './gateway-transport.ts';
import { type ReadyResult, type WaitUntilReadyOptions, waitUntilReady } from './wait-until-ready.ts';

export interface GatewayClientOptions extends GatewayConnectionOptions {
  /** Gateway base URL, e.g. `http://127.0.0.1:8088` or `https://gw:8043`. */
  readonly url: string;
}

export interface CallOptions {
  readonly signal?: AbortSignal | undefined;
}

const DATA = '/data/api/v1';

/**
 * Typed client of the Ignition 8.3 gateway HTTP API (see docs ignition-gateway.md §1). Transport rules
 * (TLS, timeouts, retries, no redirects, token handling) live in `GatewayTransport`.
 */
export class GatewayClient {
  readonly url: string;
  readonly #transport: GatewayTransport;

  constructor(options: GatewayClientOptions) {
    let parsed: URL;
    try {
      parsed = new URL(options.url);
    } catch (e: unknown) {
      throw new OperatorError(GatewayReasons.GatewayConfigInvalid, `gateway url is not a url`, {
        kind: 'stalling',
        cause: e,
      });
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      throw new OperatorError(
        GatewayReasons.GatewayConfigInvalid,
        `gateway url must be http:// or https://`,
        {
          kind: 'stalling',
        },
      );
    }
    this.url = parsed.origin;
    this.#transport = new GatewayTransport({
      ...options,
      origin: parsed.origin,
      isPlainHttp: parsed.protocol === 'http:',
    });
    if (options.insecureSkipVerify === true) {
      options.logger?.warn({ url: this.url }, 'gateway tls verification disabled');
    }
  }

  /** The name part of the configured token (the scan-lock actor), or undefined without a token. */
  async tokenName(): Promise<string | undefined> {
    return this.#transport.tokenName();
  }

  /** Unauthenticated readiness: `{state:'RUNNING'|'STARTING', details?:'COMMISSIONING'}`. */
  async statusPing(opts: CallOptions = {}): Promise<StatusPing> {
    return this.#transport.json(
      { method: 'GET', path: '/StatusPing', auth: false, signal: opts.signal },
      StatusPingSchema,
    );
  }

  /** Unauthenticated `/system/gwinfo` (`ContextStatus=RUNNING;…`). */
  async gwinfo(opts: CallOptions = {}): Promise<GwInfo> {
    const res = await this.#transport.send({
      method: 'GET',
      path: '/system/gwinfo',
      auth: false,
      signal: opts.signal,
    });
    return parseGwInfo(res.text);
  }

  async gatewayInfo(opts: CallOptions = {}): Promise<GatewayInfo> {
    return this.#transport.json(
      { method: 'GET', path: `${DATA}/gateway-info`, auth: true, signal: opts.signal },
      GatewayInfoSchema,
    );
  }

  async listDesigners(opts: CallOptions = {}): Promise<DesignerSession[]> {
    const list = await this.#transport.json(
      { method: 'GET', path: `${DATA}/designers?limit=-1`, auth: true, signal: opts.signal },
      listEnvelope(DesignerSessionSchema),
    );
    return list.items;
  }

  async startScan(kind: ScanKind, opts: CallOptions = {}): Promise<ScanStatus> {
    return this.#transport.json(
      { method: 'POST', path: `${DATA}/scan/${kind}`, auth: true, signal: opts.signal },
      ScanStatusSchema,
    );
  }

  async getScanStatus(kind: ScanKind, opts: CallOptions = {}): Promise<ScanStatus> {
    return this.#transport.json(
      { method: 'GET', path: `${DATA}/scan/${kind}`, auth: true, signal: opts.signal },
      ScanStatusSchema,
    );
  }

  /**
   * `POST scan-lock/{kind}`. Resolves with the lock, or `undefined` when the gateway has no scan-lock
   * route (404: older 8.3 builds). 408 → ScanLockTimeout, 409 → ScanLockHeld (both transient).
   */
  async acquireScanLock(
    kind: ScanKind,
    opts: CallOptions & { acquireTimeoutS?: number; holdTimeoutS?: number } = {},
  ): Promise<ScanLock | undefined> {
    const body = { acquireTimeout: opts.acquireTimeoutS ?? 10, holdTimeout: opts.holdTimeoutS ?? 60 };
    const path = `${DATA}/scan-lock/${kind}`;
    // The gateway may legitimately block for acquireTimeout before answering 408.
    const res = await this.#transport.send(
      { method: 'POST', path, body, auth: true, signal: opts.signal, passStatuses: [404, 408, 409] },
      body.acquireTimeout * 1000,
    );
    if (res.status === 404) return undefined;
    if (res.status === 408) {
      throw new OperatorError(
        GatewayReasons.ScanLockTimeout,
        `POST ${path}: ${kind} scan lock not acquired within ${body.acquireTimeout}s (408): a scan or another lock holder is still busy`,
        { details: { kind } },
      );
    }
    if (res.status === 409) {
      throw new OperatorError(
        GatewayReasons.ScanLockHeld,
        `POST ${path}: ${kind} scan lock is already held (409); it is released by the holder's next scan or expires after its hold timeout`,
        { details: { kind } },
      );
    }
    return parseBody(res, ScanLockSchema, `POST ${path}`);
  }

  /** `GET scan-lock/{kind}`: the lock, `null` when none is held (204), `undefined` when unsupported (404). */
  async getScanLock(kind: ScanKind, opts: CallOptions = {}): Promise<ScanLock | null | undefined> {
    const path = `${DATA}/scan-lock/${kind}`;
    const res = await this.#transport.send({
      method: 'GET',
      path,
      auth: true,
      signal: opts.signal,
      passStatuses: [204, 404],
    });
    if (res.status === 404) return undefined;
    if (res.status === 204) return null;
    return parseBody(res, ScanLockSchema, `GET ${path}`);
  }
  /** Polls StatusPing + gwinfo until the gateway is running and commissioned (see `waitUntilReady`). */
  async waitUntilReady(options: WaitUntilReadyOptions = {}): Promise<ReadyResult> {
    return waitUntilReady(this, options);
  }

  /** Releases the undici Agent (open keep-alive sockets). */
  async close(): Promise<void> {
    await this.#transport.close();
  }
}
