import { OperatorError } from '../../errors.ts';
import { type GatewayReason, GatewayReasons } from '../../reasons/index.ts';

/** What the client knows about a failed response when it decides retry-or-fail. */
export interface HttpFailure {
  readonly method: string;
  /** Path without query (never contains secrets). */
  readonly path: string;
  readonly status: number;
  readonly location?: string | undefined;
  /** Whether the gateway URL is plain `http:`. */
  readonly isPlainHttp: boolean;
  /** For 403 over plain http: whether a read probe with the same token was also refused. */
  readonly readProbeRefused?: boolean | undefined;
}

export interface Classified {
  readonly retryable: boolean;
  readonly error: OperatorError;
}

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

/**
 * Turns a non-2xx gateway answer into a typed error whose message tells the user what to fix.
 * 401/403/302 are never retried; 5xx is retried by the caller with backoff.
 */
export function classifyHttpFailure(f: HttpFailure): Classified {
  const what = `${f.method} ${f.path}`;
  const details = { status: f.status, path: f.path };
  if (f.status === 401) {
    return fail(
      GatewayReasons.GatewayUnauthorized,
      `${what}: gateway rejected the api token (401): it does not recognise it; check that the token file holds the full 'name:secret' value shown when the key was created, that the key exists on this gateway (a key minted on another gateway is unknown here), and that it is sent as X-Ignition-API-Token, not as a Bearer or Basic header`,
      'stalling',
      details,
    );
  }
  if (f.status === 403) return classifyForbidden(f, what, details);
  if (f.status === 302 || f.status === 303 || f.status === 307) {
    if (f.location !== undefined && /\/welcome\b/.test(f.location)) {
      return fail(
        GatewayReasons.GatewayNotCommissioned,
        `${what}: gateway is not commissioned (redirected to /welcome): finish commissioning (EULA, admin user, activation) or wait for first boot to complete`,
        'waiting',
        details,
      );
    }
    return fail(
      GatewayReasons.GatewayProtocolError,
      `${what}: unexpected redirect (${f.status}) to ${f.location ?? 'nowhere'}: check the gateway url (scheme, port and path)`,
      'stalling',
      details,
    );
  }
  if (f.status === 503) {
    return {
      retryable: true,
      error: new OperatorError(
        GatewayReasons.GatewayStarting,
        `${what}: gateway is starting or restarting (503)`,
        { kind: 'waiting', details },
      ),
    };
  }
  if (RETRYABLE_STATUS.has(f.status)) {
    return {
      retryable: true,
      error: new OperatorError(GatewayReasons.GatewayUnreachable, `${what}: gateway error (${f.status})`, {
        details,
      }),
    };
  }
  if (f.status === 404) {
    return fail(
      GatewayReasons.GatewayProtocolError,
      `${what}: route not found (404): the gateway is not Ignition 8.3 or the url has a wrong path`,
      'stalling',
      details,
    );
  }
  return fail(
    GatewayReasons.GatewayProtocolError,
    `${what}: unexpected status ${f.status}`,
    'transient',
    details,
  );
}

function classifyForbidden(f: HttpFailure, what: string, details: Record<string, unknown>): Classified {
  if (f.isPlainHttp && f.readProbeRefused === true) {
    return fail(
      GatewayReasons.GatewaySecureChannelRequired,
      `${what}: gateway refused the api token over plain http (403), even for a read: the token is recognised, so either the key requires a secure channel (use an https:// gateway url, port 8043, or turn off 'Secure Channel Required' on the key) or the gateway's read permissions do not include the key's security levels (first-boot commissioning can reset them)`,
      'stalling',
      details,
    );
  }
  const access = f.method === 'GET' ? 'read' : 'write';
  return fail(
    GatewayReasons.GatewayForbidden,
    `${what}: gateway refused the request (403): the api token is recognised but lacks the ${access} permission; add one of the key's security levels to the gateway's ${access} permissions (security properties); first-boot commissioning can reset them`,
    'stalling',
    details,
  );
}

function fail(
  reason: GatewayReason,
  message: string,
  kind: 'stalling' | 'waiting' | 'transient',
  details: Record<string, unknown>,
): Classified {
  return { retryable: false, error: new OperatorError(reason, message, { kind, details }) };
}

const TLS_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);

/** Classifies a thrown transport error (no HTTP status). Timeouts and connection errors are retryable. */
export function classifyTransportError(e: unknown, what: string, timedOut: boolean): Classified {
  const code = errorCode(e);
  if (timedOut || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return {
      retryable: true,
      error: new OperatorError(GatewayReasons.GatewayTimeout, `${what}: gateway did not answer in time`, {
        cause: e,
      }),
    };
  }
  if (code !== undefined && TLS_CODES.has(code)) {
    return fail(
      GatewayReasons.GatewayTlsFailed,
      `${what}: tls handshake failed (${code}): give the CA that signed the gateway certificate (caFile), or use the explicit insecure switch for test gateways only`,
      'stalling',
      { code },
    );
  }
  return {
    retryable: true,
    error: new OperatorError(
      GatewayReasons.GatewayUnreachable,
      `${what}: gateway unreachable (${code ?? (e instanceof Error ? e.message : 'unknown error')})`,
      { cause: e, details: code === undefined ? {} : { code } },
    ),
  };
}

function errorCode(e: unknown): string | undefined {
  let cur: unknown = e;
  for (let depth = 0; depth < 4 && cur instanceof Error; depth++) {
    if ('code' in cur && typeof cur.code === 'string') return cur.code;
    cur = cur.cause;
  }
  return undefined;
}
