import { randomBytes } from 'node:crypto';
import { isFullCommitSha, isValidGitRef } from '../../api/index.ts';
import { toOperatorError } from '../../errors.ts';
import type { Logger } from '../../observability/index.ts';
import { type ReceiverReason, ReceiverReasons } from '../../reasons/index.ts';
import { DeliveryCache } from './delivery-cache.ts';
import { detectProvider } from './providers/detect-provider.ts';
import { mediaTypeOf } from './providers/json-payload.ts';
import type { WebhookProvider } from './providers/webhook-provider.ts';
import type { WebhookDecision, WebhookEvent, WebhookHeaders } from './webhook-event.ts';

/** Default body limit: 3 MiB (large GitHub push payloads exceed 1 MiB). */
export const DEFAULT_BODY_LIMIT_BYTES = 3 * 1024 * 1024;
const DEFAULT_DELIVERY_CACHE_SIZE = 1024;
/** Default replay window of timestamped schemes (Standard Webhooks): 5 minutes either way. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;

export interface WebhookTarget {
  readonly namespace: string;
  readonly name: string;
}

export interface WebhookHandlerOptions {
  /**
   * The key of the target's `spec.webhook.secretRef`, or undefined when the target does not exist, has the
   * webhook disabled, or its Secret is missing. The caller cannot tell these apart (see README, "No
   * existence oracle").
   */
  lookupSecret(namespace: string, name: string): Promise<Buffer | undefined>;
  /**
   * Called once per authenticated, valid event (repeated delivery IDs are answered from a cache). Throw an
   * OperatorError with reason `WebhookTargetNotFound` when the target vanished after authentication.
   */
  onAccepted(event: WebhookEvent): Promise<WebhookDecision>;
  readonly bodyLimitBytes?: number;
  readonly deliveryCacheSize?: number;
  /** How far a signed timestamp may be from this clock, either way. Default 300 s. */
  readonly replayWindowSeconds?: number;
  /** The clock timestamps are checked against (tests). Default `Date.now`. */
  readonly now?: () => number;
  readonly logger: Logger;
}

/** An answer: status, JSON body, extra headers. The body never contains any part of the request body. */
export interface WebhookResponse {
  readonly status: number;
  readonly body: Readonly<Record<string, unknown>>;
  readonly headers?: Readonly<Record<string, string>>;
}

/** The result of checking the request line and headers, before the body is read. */
export type Preflight =
  | { readonly kind: 'respond'; readonly response: WebhookResponse }
  | { readonly kind: 'read-body'; readonly target: WebhookTarget; readonly provider: WebhookProvider };

const SEGMENT = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

function failure(status: number, error: ReceiverReason, message: string): WebhookResponse {
  return { status, body: { error, message } };
}

/** `/webhook/{namespace}/{name}` → target; anything else → undefined. Names follow Kubernetes' DNS rules. */
export function parseWebhookPath(path: string): WebhookTarget | undefined {
  const pathname = path.split('?')[0] ?? '';
  const match = /^\/webhook\/([^/]+)\/([^/]+)\/?$/.exec(pathname);
  if (match === null) return undefined;
  const [namespace, name] = [match[1] ?? '', match[2] ?? ''];
  if (!SEGMENT.test(namespace) || !SEGMENT.test(name)) return undefined;
  return { namespace, name };
}

/**
 * The transport-free receiver: decides every answer from the request line, headers and raw body. The node
 * HTTP adapter (`createWebhookReceiver`) and tests drive it; it never opens a socket.
 *
 * Order (each step only after the previous passed): route → method → declared size → media type → body
 * size → authentication (against a throwaway key when the target is unknown) → replay window → parse → ref rules →
 * delivery dedupe → `onAccepted`.
 */
export class WebhookHandler {
  readonly bodyLimitBytes: number;
  readonly #options: WebhookHandlerOptions;
  readonly #deliveries: DeliveryCache<WebhookResponse>;
  /** Stands in for the key of an unknown target so both paths do the same work and answer the same. */
  readonly #decoyKey = randomBytes(32);

  constructor(options: WebhookHandlerOptions) {
    this.#options = options;
    this.bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
    this.#deliveries = new DeliveryCache(options.deliveryCacheSize ?? DEFAULT_DELIVERY_CACHE_SIZE);
  }

  /** Checks what is known before reading the body. */
  preflight(method: string, path: string, headers: WebhookHeaders): Preflight {
    const target = parseWebhookPath(path);
    if (target === undefined) {
      return {
        kind: 'respond',
        response: failure(404, ReceiverReasons.NotFound, 'no route: use POST /webhook/{namespace}/{name}'),
      };
    }
    if (method !== 'POST') {
      const response = failure(
        405,
        ReceiverReasons.MethodNotAllowed,
        `method ${method} not allowed: configure the sender to POST (Argo CD and Kargo default to GET)`,
      );
      return { kind: 'respond', response: { ...response, headers: { allow: 'POST' } } };
    }
    const declared = Number(headers['content-length'] ?? '0');
    if (Number.isFinite(declared) && declared > this.bodyLimitBytes) {
      return { kind: 'respond', response: this.tooLarge() };
    }
    const provider = detectProvider(headers);
    const mediaType = mediaTypeOf(headers['content-type']);
    if (!provider.mediaTypes.includes(mediaType)) {
      const allowed = provider.mediaTypes.filter((m) => m !== '').join(' or ');
      return {
        kind: 'respond',
        response: failure(
          415,
          ReceiverReasons.UnsupportedMediaType,
          `content type ${mediaType === '' ? '(none)' : mediaType} not supported for ${provider.name} deliveries: send ${allowed}`,
        ),
      };
    }
    return { kind: 'read-body', target, provider };
  }

  tooLarge(): WebhookResponse {
    return failure(
      413,
      ReceiverReasons.PayloadTooLarge,
      `body exceeds the limit of ${this.bodyLimitBytes} bytes`,
    );
  }

  /** Authenticates, parses and dispatches a request whose body was read within the limit. */
  async handleBody(
    target: WebhookTarget,
    provider: WebhookProvider,
    headers: WebhookHeaders,
    body: Buffer,
  ): Promise<WebhookResponse> {
    const request = { headers, body };
    const known = await this.#options.lookupSecret(target.namespace, target.name);
    const key = known !== undefined && known.length > 0 ? known : this.#decoyKey;
    const isAuthentic = provider.authenticate(request, key) && key !== this.#decoyKey;
    if (!isAuthentic) {
      return failure(
        401,
        ReceiverReasons.Unauthorized,
        'request not authenticated: missing or invalid signature or token',
      );
    }
    const stale = provider.freshness?.(
      headers,
      (this.#options.now ?? Date.now)(),
      this.#options.replayWindowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS,
    );
    if (stale !== undefined) return failure(401, ReceiverReasons.StaleTimestamp, stale);
    const parsed = provider.parse(request);
    if (parsed.kind === 'malformed')
      return failure(
        400,
        ReceiverReasons.MalformedPayload,
        `malformed ${provider.name} payload: ${parsed.message}`,
      );
    if (parsed.kind === 'ignored') return { status: 200, body: { accepted: false, reason: parsed.reason } };
    const refs = [parsed.ref, ...(parsed.candidates ?? []).map((c) => c.ref)];
    if (refs.some((ref) => !isValidGitRef(ref) && !isFullCommitSha(ref))) {
      return failure(
        400,
        ReceiverReasons.InvalidRef,
        'invalid ref: must be a git branch, tag or full commit SHA',
      );
    }
    const deliveryId = provider.deliveryId(headers);
    const event: WebhookEvent = {
      ...target,
      provider: provider.name,
      ref: parsed.ref,
      refSource: parsed.refSource,
      ...(parsed.commit === undefined ? {} : { commit: parsed.commit }),
      ...(deliveryId === undefined ? {} : { deliveryId }),
      ...(parsed.candidates === undefined ? {} : { candidates: parsed.candidates }),
    };
    try {
      if (deliveryId === undefined) return await this.#dispatch(event);
      const cacheKey = JSON.stringify([target.namespace, target.name, provider.name, deliveryId]);
      const { value, isRepeat } = this.#deliveries.getOrCompute(cacheKey, () => this.#dispatch(event));
      const response = await value;
      return isRepeat ? { ...response, body: { ...response.body, duplicate: true } } : response;
    } catch (e: unknown) {
      const err = toOperatorError(e, ReceiverReasons.WebhookHandlerFailed);
      return failure(500, ReceiverReasons.WebhookHandlerFailed, `sync request failed: ${err.reason}`);
    }
  }

  /** Convenience for callers that hold the whole request: preflight + body limit + handleBody. */
  async handle(request: {
    readonly method: string;
    readonly path: string;
    readonly headers: WebhookHeaders;
    readonly body: Buffer;
  }): Promise<WebhookResponse> {
    const pre = this.preflight(request.method, request.path, request.headers);
    if (pre.kind === 'respond') return pre.response;
    if (request.body.length > this.bodyLimitBytes) return this.tooLarge();
    return this.handleBody(pre.target, pre.provider, request.headers, request.body);
  }

  async #dispatch(event: WebhookEvent): Promise<WebhookResponse> {
    let decision: WebhookDecision;
    try {
      decision = await this.#options.onAccepted(event);
    } catch (e: unknown) {
      const err = toOperatorError(e, ReceiverReasons.WebhookHandlerFailed);
      if (err.reason === ReceiverReasons.WebhookTargetNotFound) {
        return failure(
          404,
          ReceiverReasons.WebhookTargetNotFound,
          'webhook target not found or webhook disabled',
        );
      }
      this.#options.logger.error({ err, reason: err.reason }, 'webhook handler failed');
      // Thrown so the delivery cache forgets it and a retry is processed again.
      throw err;
    }
    if (decision.accepted) {
      const message = decision.message === undefined ? {} : { message: decision.message };
      return { status: 202, body: { accepted: true, ref: decision.ref, ...message } };
    }
    const pinned = decision.pinned === undefined ? {} : { pinned: decision.pinned };
    return { status: 200, body: { accepted: false, reason: decision.reason, ...pinned } };
  }
}
