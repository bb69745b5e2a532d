// Public API of the Ignition component: the gateway client and the sync cycle.
// The gateway simulator (a test and demo tool) has its own entry point: ./simulator/index.ts.

export { type GatewayReason, GatewayReasons } from '../reasons/index.ts';
export { type BackoffPolicy, computeBackoffDelayMs, DEFAULT_BACKOFF } from './client/backoff.ts';
export { classifyHttpFailure, classifyTransportError } from './client/classify-failure.ts';
export { type CallOptions, GatewayClient, type GatewayClientOptions } from './client/gateway-client.ts';
export type { GatewayConnectionOptions } from './client/gateway-transport.ts';
export { type ApiToken, parseApiToken, readApiTokenFile } from './client/read-token-file.ts';
export {
  assessReadiness,
  type GatewayReadiness,
  type ReadyResult,
  type WaitUntilReadyOptions,
  waitUntilReady,
} from './client/wait-until-ready.ts';
export { type AwaitScanOptions, type ScanOutcome, scanAndAwait } from './cycle/await-scan.ts';
export {
  type DesignerPolicyOutcome,
  type DesignerSessionPolicy,
  enforceDesignerPolicy,
} from './cycle/designer-policy.ts';
export {
  type ApplyContext,
  type ChangeSummary,
  type CycleResult,
  runSyncCycle,
  type SyncCycleOptions,
} from './cycle/run-sync-cycle.ts';
export type { LockMode } from './cycle/scan-locks.ts';
export {
  type DesignerSession,
  type GatewayInfo,
  SCAN_KINDS,
  type ScanKind,
  type ScanLock,
  type ScanStatus,
  type StatusPing,
} from './gateway-types.ts';
export { formatGwInfo, type GwInfo, parseGwInfo } from './gwinfo.ts';
