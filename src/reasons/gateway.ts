import { defineReasons, namesOf } from './define-reasons.ts';
import { SyncReasons } from './sync.ts';

/**
 * Reasons of the Ignition gateway client and the sync cycle (src/ignition). They become Kubernetes condition
 * reasons, so they are stable API: add, never rename. `ApplyFailed` is the sync engine's: the cycle's apply
 * step runs the engine, whose own errors pass through.
 */
export const GATEWAY_REASONS = defineReasons({
  GatewayUnauthorized: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: '401: no or unknown token, a wrong name: prefix, or a key minted on another gateway',
  },
  GatewayForbidden: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: '403: the token is recognised but its security levels lack the read or write permission',
  },
  GatewaySecureChannelRequired: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: '403 over plain http for a token that is otherwise valid: the key requires https',
  },
  GatewayNotCommissioned: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning: '302 to /welcome, or StatusPing RUNNING+COMMISSIONING: first-boot commissioning is not finished',
  },
  GatewayStarting: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning: 'StatusPing STARTING or 503 after retries: the gateway is (re)starting',
  },
  GatewayUnreachable: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: 'connection refused or reset, DNS failure, or 5xx after retries',
  },
  GatewayTimeout: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: 'a gateway request exceeded the client timeout',
  },
  GatewayTlsFailed: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'the TLS handshake failed (untrusted CA, hostname mismatch)',
  },
  GatewayProtocolError: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning:
      'the gateway answered a status or body the client does not understand (404 and redirects: stalling)',
  },
  GatewayTokenInvalid: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'the API token file is missing, unreadable, empty or not name:secret',
  },
  GatewayConfigInvalid: {
    kind: 'stalling',
    condition: 'AllGatewaysSynced',
    meaning: 'the gateway client configuration (URL, CA file) is invalid',
  },
  ScanLockHeld: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: '409 on POST scan-lock: another actor holds the scan lock',
  },
  ScanLockTimeout: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: '408 on POST scan-lock: the lock was not acquired within acquireTimeout',
  },
  ScanTimeout: {
    kind: 'transient',
    condition: 'AllGatewaysSynced',
    meaning: 'a scan did not finish before the deadline (slow or stuck); the files are written',
  },
  DesignerSessionActive: {
    kind: 'waiting',
    condition: 'AllGatewaysSynced',
    meaning: 'designer sessions are open: policy wait hit its deadline (waiting) or policy fail (stalling)',
  },
  SyncCancelled: {
    kind: 'waiting',
    condition: 'none',
    meaning: 'the sync cycle was cancelled through its AbortSignal (shutdown)',
  },
});

export const GatewayReasons = { ...namesOf(GATEWAY_REASONS), ApplyFailed: SyncReasons.ApplyFailed } as const;
export type GatewayReason = (typeof GatewayReasons)[keyof typeof GatewayReasons];
