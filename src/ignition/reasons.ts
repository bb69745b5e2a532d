/**
 * Condition/error reasons of the gateway client and the sync cycle. They become Kubernetes condition
 * reasons, so they are stable API: add, never rename.
 */
export const GatewayReasons = {
  /** 401: no token, an unknown token, a wrong `name:` prefix, or a key minted on another gateway. */
  GatewayUnauthorized: 'GatewayUnauthorized',
  /** 403: the token is recognised but its security levels lack the read/write permission. */
  GatewayForbidden: 'GatewayForbidden',
  /** 403 over plain http for a token that is otherwise valid: the key requires a secure channel. */
  GatewaySecureChannelRequired: 'GatewaySecureChannelRequired',
  /** 302 → /welcome on /data routes, or StatusPing RUNNING+COMMISSIONING. */
  GatewayNotCommissioned: 'GatewayNotCommissioned',
  /** StatusPing STARTING or /data answering 503 (restart window). */
  GatewayStarting: 'GatewayStarting',
  /** Connection refused/reset, DNS failure, repeated 5xx. */
  GatewayUnreachable: 'GatewayUnreachable',
  /** A request exceeded the client timeout. */
  GatewayTimeout: 'GatewayTimeout',
  /** The TLS handshake failed (untrusted CA, hostname mismatch). */
  GatewayTlsFailed: 'GatewayTlsFailed',
  /** The gateway answered with a status or body the client does not understand. */
  GatewayProtocolError: 'GatewayProtocolError',
  /** The API token file is missing, empty or not `name:secret`. */
  GatewayTokenInvalid: 'GatewayTokenInvalid',
  /** The client configuration (URL, CA file) is invalid. */
  GatewayConfigInvalid: 'GatewayConfigInvalid',
  /** 409: a scan lock is already held (by another actor). */
  ScanLockHeld: 'ScanLockHeld',
  /** 408: the scan lock was not acquired within acquireTimeout. */
  ScanLockTimeout: 'ScanLockTimeout',
  /** A scan did not finish before the deadline (slow or stuck scan). */
  ScanTimeout: 'ScanTimeout',
  /** Designer sessions are open and the designer-session policy is `wait` (deadline passed) or `fail`. */
  DesignerSessionActive: 'DesignerSessionActive',
  /** The caller's apply step failed; locks are left to expire so the gateway never scans a partial write. */
  ApplyFailed: 'ApplyFailed',
  /** The cycle was cancelled through its AbortSignal. */
  SyncCancelled: 'SyncCancelled',
} as const;
export type GatewayReason = (typeof GatewayReasons)[keyof typeof GatewayReasons];
