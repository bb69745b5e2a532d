import { readFile } from 'node:fs/promises';
import { Agent, request } from 'undici';
import type { z } from 'zod';
import { OperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { GatewayReasons } from '../../reasons/index.ts';
import { type BackoffPolicy, computeBackoffDelayMs, DEFAULT_BACKOFF, sleep } from './backoff.ts';
import { classifyHttpFailure, classifyTransportError } from './classify-failure.ts';
import { type ApiToken, readApiTokenFile } from './read-token-file.ts';

/** How to reach and authenticate to a gateway (everything but its URL). */
export interface GatewayConnectionOptions {
  /** File holding the full `name:secret` API token (mounted secret). Without it /data routes get 401. */
  readonly tokenFile?: string | undefined;
  /** PEM file with the CA that signed the gateway certificate (https only). */
  readonly caFile?: string | undefined;
  /** Explicit switch: accept any certificate. For test gateways only; logged as a warning. */
  readonly insecureSkipVerify?: boolean | undefined;
  /** Per-attempt request timeout (default 10 s, like the gateway's own tooling). */
  readonly timeoutMs?: number | undefined;
  readonly backoff?: BackoffPolicy | undefined;
  readonly logger?: Logger | undefined;
  /** Injected for deterministic tests; defaults to Math.random. */
  readonly random?: (() => number) | undefined;
}

export interface TransportOptions extends GatewayConnectionOptions {
  /** Gateway origin (validated by the client). */
  readonly origin: string;
  readonly isPlainHttp: boolean;
}

export interface RawResponse {
  readonly status: number;
  readonly location: string | undefined;
  readonly text: string;
}

export interface Call {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly body?: unknown;
  readonly auth: boolean;
  readonly signal?: AbortSignal | undefined;
  /** Statuses returned to the caller instead of raising (e.g. 204, 408, 409 on scan-lock). */
  readonly passStatuses?: readonly number[];
}

const DATA = '/data/api/v1';

/**
 * The HTTP half of the gateway client: one undici Agent (TLS settings), per-attempt timeouts, no redirects
 * followed, retries with full-jitter backoff on 5xx and connection errors, never on 401/403. The token is
 * read from its file on every call (a rotated secret takes effect without restart) and never logged.
 */
export class GatewayTransport {
  readonly url: string;
  readonly #options: TransportOptions;
  readonly #isPlainHttp: boolean;
  #agent: Agent | undefined;
  #agentPromise: Promise<Agent> | undefined;

  constructor(options: TransportOptions) {
    this.url = options.origin;
    this.#isPlainHttp = options.isPlainHttp;
    this.#options = options;
  }

  async tokenName(): Promise<string | undefined> {
    return (await this.#token())?.name;
  }

  async json<S extends z.ZodType>(call: Call, schema: S): Promise<z.infer<S>> {
    const res = await this.send(call);
    return parseBody(res, schema, `${call.method} ${stripQuery(call.path)}`);
  }

  /** Releases the undici Agent (open keep-alive sockets). */
  async close(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    this.#agentPromise = undefined;
    await agent?.close();
  }

  async send(call: Call, extraTimeoutMs = 0): Promise<RawResponse> {
    const policy = this.#options.backoff ?? DEFAULT_BACKOFF;
    const random = this.#options.random ?? Math.random;
    const what = `${call.method} ${stripQuery(call.path)}`;
    for (let attempt = 0; ; attempt++) {
      throwIfCancelled(call.signal, what);
      const outcome = await this.#attempt(call, extraTimeoutMs);
      if (outcome.kind === 'ok') return outcome.response;
      const last = attempt + 1 >= policy.attempts;
      if (!outcome.retryable || last) throw outcome.error;
      const delay = computeBackoffDelayMs(attempt, policy, random);
      this.#options.logger?.debug(
        { path: stripQuery(call.path), attempt: attempt + 1, delayMs: delay, reason: outcome.error.reason },
        'gateway request retry',
      );
      try {
        await sleep(delay, call.signal);
      } catch {
        throwIfCancelled(call.signal, what);
      }
    }
  }

  async #attempt(
    call: Call,
    extraTimeoutMs: number,
  ): Promise<
    { kind: 'ok'; response: RawResponse } | { kind: 'failed'; retryable: boolean; error: OperatorError }
  > {
    const what = `${call.method} ${stripQuery(call.path)}`;
    const headers: Record<string, string> = { accept: 'application/json, text/plain;q=0.9, */*;q=0.1' };
    if (call.auth) {
      const token = await this.#token();
      if (token !== undefined) headers['x-ignition-api-token'] = token.value;
    }
    let payload: string | undefined;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    const timeoutMs = (this.#options.timeoutMs ?? 10_000) + extraTimeoutMs;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call.signal === undefined ? timeout : AbortSignal.any([call.signal, timeout]);
    let response: RawResponse;
    try {
      const res = await request(`${this.url}${call.path}`, {
        method: call.method,
        headers,
        body: payload ?? null,
        signal,
        dispatcher: await this.#getAgent(),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      const text = await res.body.text();
      const location = res.headers.location;
      response = {
        status: res.statusCode,
        location: typeof location === 'string' ? location : undefined,
        text,
      };
    } catch (e: unknown) {
      throwIfCancelled(call.signal, what);
      if (e instanceof OperatorError) throw e;
      return { kind: 'failed', ...classifyTransportError(e, what, timeout.aborted) };
    }
    if ((response.status >= 200 && response.status < 300) || call.passStatuses?.includes(response.status)) {
      return { kind: 'ok', response };
    }
    const readProbeRefused =
      response.status === 403 && this.#isPlainHttp ? await this.#isReadRefused(call.signal) : undefined;
    const classified = classifyHttpFailure({
      method: call.method,
      path: stripQuery(call.path),
      status: response.status,
      location: response.location,
      isPlainHttp: this.#isPlainHttp,
      readProbeRefused,
    });
    return { kind: 'failed', ...classified };
  }

  /**
   * Heuristic for 403 over plain http: a token that is refused even a read is most likely a
   * secure-channel-required key (a recognised token with no read permission is rare). One probe, no retry.
   */
  async #isReadRefused(signal: AbortSignal | undefined): Promise<boolean> {
    const headers: Record<string, string> = {};
    const token = await this.#token();
    if (token !== undefined) headers['x-ignition-api-token'] = token.value;
    try {
      const timeout = AbortSignal.timeout(this.#options.timeoutMs ?? 10_000);
      const res = await request(`${this.url}${DATA}/gateway-info`, {
        method: 'GET',
        headers,
        signal: signal === undefined ? timeout : AbortSignal.any([signal, timeout]),
        dispatcher: await this.#getAgent(),
      });
      await res.body.dump();
      return res.statusCode === 403;
    } catch {
      return false;
    }
  }

  async #token(): Promise<ApiToken | undefined> {
    const file = this.#options.tokenFile;
    return file === undefined ? undefined : readApiTokenFile(file);
  }

  #getAgent(): Promise<Agent> {
    this.#agentPromise ??= this.#createAgent();
    return this.#agentPromise;
  }

  async #createAgent(): Promise<Agent> {
    let ca: string | undefined;
    if (this.#options.caFile !== undefined) {
      try {
        ca = await readFile(this.#options.caFile, 'utf8');
      } catch (e: unknown) {
        this.#agentPromise = undefined;
        throw new OperatorError(
          GatewayReasons.GatewayConfigInvalid,
          `reading gateway CA file ${this.#options.caFile}: unreadable`,
          { kind: 'stalling', cause: e },
        );
      }
    }
    const connect: { rejectUnauthorized: boolean; ca?: string } = {
      rejectUnauthorized: this.#options.insecureSkipVerify !== true,
    };
    if (ca !== undefined) connect.ca = ca;
    this.#agent = new Agent({
      connect,
      connectTimeout: this.#options.timeoutMs ?? 10_000,
      keepAliveTimeout: 4_000,
    });
    return this.#agent;
  }
}

export function parseBody<S extends z.ZodType>(res: RawResponse, schema: S, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(res.text);
  } catch (e: unknown) {
    throw new OperatorError(
      GatewayReasons.GatewayProtocolError,
      `${what}: gateway answered ${res.status} with a body that is not JSON`,
      { cause: e },
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new OperatorError(
      GatewayReasons.GatewayProtocolError,
      `${what}: unexpected response shape: ${parsed.error.issues[0]?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

function stripQuery(path: string): string {
  const q = path.indexOf('?');
  return q === -1 ? path : path.slice(0, q);
}

function throwIfCancelled(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted === true) {
    throw new OperatorError(GatewayReasons.SyncCancelled, `${what}: cancelled`, {
      kind: 'waiting',
      cause: signal.reason,
    });
  }
}
