// Public API of the Ignition component: the gateway client, the sync cycle and the gateway simulator.

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
export type {
  DataSnapshot,
  ResourceEntry,
  SnapshotDiff,
  SnapshotError,
} from './simulator/data-snapshot.ts';
export type { FaultAction, FaultRule, FaultRuleInput } from './simulator/fault-rules.ts';
export type { GatewayWrite, GatewayWriteRecord } from './simulator/gateway-writes.ts';
export { generateTestCertificates, type TestCertificates } from './simulator/generate-test-certificates.ts';
export type { ScanLogEntry } from './simulator/scan-engine.ts';
export { seedDataDir } from './simulator/seed-data-dir.ts';
export type {
  DesignerInput,
  Lifecycle,
  RequestLogEntry,
  SimulatedGateway,
} from './simulator/simulated-gateway.ts';
export { SimulatorControlClient, type SimulatorState } from './simulator/simulator-control-client.ts';
export {
  type GatewaySimulator,
  type GatewaySimulatorOptions,
  type SimTokenInput,
  startGatewaySimulator,
} from './simulator/start-gateway-simulator.ts';
export { computeTokenHash, parseTokenSpec } from './simulator/token-auth.ts';
export { GATEWAY_OWNED_GLOBS, isGatewayOwned, type TripwireReport } from './simulator/tripwires.ts';
export type { LockInterval, WriteEvidence } from './simulator/write-evidence.ts';
