import type { KubeConfig } from '@kubernetes/client-node';
import { ApiException, HttpMethod, RequestContext } from '@kubernetes/client-node';
import { fetch } from 'undici';
import { OperatorError } from '../errors.ts';
import { KUBE_STATUS_REASONS, KubeReasons } from '../reasons/index.ts';

/** A `metav1.Status` body as the apiserver returns it on errors. */
export interface KubeStatus {
  readonly kind?: string;
  readonly status?: string;
  readonly message?: string;
  readonly reason?: string;
  readonly code?: number;
  readonly details?: {
    readonly causes?: ReadonlyArray<{ readonly field?: string; readonly message?: string }>;
  };
}

/**
 * A failed apiserver call: `code` is the HTTP status, `status` the decoded `metav1.Status` when there was one.
 * `reason` is `KubeObjectNotFound` (Status reason NotFound), `Conflict`, or `KubeApiError` for every other
 * Status reason, which stays in `status.reason` and `details.statusReason`.
 */
export class KubeApiError extends OperatorError {
  readonly code: number;
  readonly status: KubeStatus | undefined;

  constructor(code: number, message: string, status: KubeStatus | undefined) {
    const statusReason = status?.reason;
    const reason =
      (statusReason === undefined ? undefined : KUBE_STATUS_REASONS.get(statusReason)) ??
      KubeReasons.KubeApiError;
    super(reason, message, {
      kind: 'transient',
      details: statusReason === undefined ? { code } : { code, statusReason },
    });
    this.name = 'KubeApiError';
    this.code = code;
    this.status = status;
  }
}

/** HTTP status of an apiserver error from our client or from client-node's generated APIs; undefined otherwise. */
export function apiStatusCode(e: unknown): number | undefined {
  if (e instanceof KubeApiError) return e.code;
  if (e instanceof ApiException) return e.code;
  if (typeof e === 'object' && e !== null && 'statusCode' in e && typeof e.statusCode === 'number')
    return e.statusCode;
  return undefined;
}

export function isNotFound(e: unknown): boolean {
  return apiStatusCode(e) === 404;
}

export function isConflict(e: unknown): boolean {
  return apiStatusCode(e) === 409;
}

export function isAlreadyExists(e: unknown): boolean {
  return apiStatusCode(e) === 409 && e instanceof KubeApiError && e.status?.reason === 'AlreadyExists';
}

export interface KubeRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Absolute API path, e.g. `/apis/sync.ignition.io/v1alpha1/namespaces/x/ignitionsyncs/y/status`. */
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** Defaults to application/json, or application/merge-patch+json for PATCH. */
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

function parseStatus(text: string): KubeStatus | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && 'kind' in parsed && parsed.kind === 'Status') {
      return parsed as KubeStatus;
    }
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/**
 * Minimal JSON REST client on a client-node KubeConfig (same auth and TLS as the generated APIs). Used for
 * generic resources (custom resources, /status, merge patches with preconditions) where the generated,
 * per-kind APIs would need one code path per kind.
 */
export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly #timeoutMs: number;

  /** `timeoutMs` bounds every request (default 30 s) so a hung apiserver connection never blocks a caller forever. */
  constructor(kubeConfig: KubeConfig, options: { timeoutMs?: number } = {}) {
    this.kubeConfig = kubeConfig;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async request<T = unknown>(req: KubeRequest): Promise<T> {
    const cluster = this.kubeConfig.getCurrentCluster();
    if (cluster === null)
      throw new OperatorError(
        KubeReasons.KubeApiError,
        'kube request failed: no current cluster in kubeconfig',
        { kind: 'stalling' },
      );
    const url = new URL(cluster.server.replace(/\/$/, '') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {}))
      if (v !== undefined) url.searchParams.set(k, String(v));
    const ctx = new RequestContext(url.toString(), HttpMethod[req.method]);
    await this.kubeConfig.applySecurityAuthentication(ctx);
    const headers: Record<string, string> = { ...ctx.getHeaders(), accept: 'application/json' };
    if (req.body !== undefined) {
      headers['content-type'] =
        req.contentType ?? (req.method === 'PATCH' ? 'application/merge-patch+json' : 'application/json');
    }
    const dispatcher = ctx.getDispatcher();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = req.signal === undefined ? timeout : AbortSignal.any([req.signal, timeout]);
    const res = await fetch(url, {
      method: req.method,
      headers,
      ...(dispatcher === undefined ? {} : { dispatcher }),
      ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
      signal,
    });
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) return (text === '' ? undefined : JSON.parse(text)) as T;
    const status = parseStatus(text);
    const why = status?.message ?? (text.slice(0, 200) || res.statusText);
    throw new KubeApiError(res.status, `${req.method.toLowerCase()} ${req.path} failed: ${why}`, status);
  }

  get<T = unknown>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>(signal === undefined ? { method: 'GET', path } : { method: 'GET', path, signal });
  }
}

/** Identifies a resource collection: `apiVersion` (`v1` or `group/version`), `plural`, optional namespace. */
export interface ResourceRef {
  readonly apiVersion: string;
  readonly plural: string;
  readonly namespace?: string;
}

/** `/api/v1/namespaces/ns/pods` or `/apis/g/v/namespaces/ns/plural` (cluster-wide when namespace is absent). */
export function collectionPath(ref: ResourceRef): string {
  const base = ref.apiVersion.includes('/') ? `/apis/${ref.apiVersion}` : `/api/${ref.apiVersion}`;
  const ns = ref.namespace === undefined ? '' : `/namespaces/${encodeURIComponent(ref.namespace)}`;
  return `${base}${ns}/${ref.plural}`;
}

/** Path of one object, optionally a subresource (`status`). */
export function objectPath(ref: ResourceRef & { readonly name: string }, subresource?: string): string {
  const sub = subresource === undefined ? '' : `/${subresource}`;
  return `${collectionPath(ref)}/${encodeURIComponent(ref.name)}${sub}`;
}
