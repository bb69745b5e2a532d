// Public API of the gateway simulator: a test and demo tool, kept out of the production barrel
// (../index.ts) so that production code never loads it. Import it only from cli, the demo, tests and benchmarks.
export type {
  DataSnapshot,
  ResourceEntry,
  SnapshotDiff,
  SnapshotError,
} from './data-snapshot.ts';
export type { FaultAction, FaultRule, FaultRuleInput } from './fault-rules.ts';
export type { GatewayWrite, GatewayWriteRecord } from './gateway-writes.ts';
export { generateTestCertificates, type TestCertificates } from './generate-test-certificates.ts';
export type { ScanLogEntry } from './scan-engine.ts';
export { seedDataDir } from './seed-data-dir.ts';
export type {
  DesignerInput,
  Lifecycle,
  RequestLogEntry,
  SimulatedGateway,
} from './simulated-gateway.ts';
export { SimulatorControlClient, type SimulatorState } from './simulator-control-client.ts';
export {
  type GatewaySimulator,
  type GatewaySimulatorOptions,
  type SimTokenInput,
  startGatewaySimulator,
} from './start-gateway-simulator.ts';
export { computeTokenHash, parseTokenSpec } from './token-auth.ts';
export { GATEWAY_OWNED_GLOBS, isGatewayOwned, type TripwireReport } from './tripwires.ts';
export type { LockInterval, WriteEvidence } from './write-evidence.ts';
