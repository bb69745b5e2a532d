// Public API of the per-gateway sync: one gateway to one commit, shared by `ignition-sync run`, the agent and
// (for its decisions) the controller.

export { type GatewaySyncReason, GatewaySyncReasons } from '../reasons/index.ts';
export { type ChangeSource, sharedChanges } from './change-source.ts';
export type { GatewayApi, GatewayTarget } from './gateway-target.ts';
export type { GatewaySyncError, GatewaySyncOutcome } from './outcome.ts';
export { SYNC_ENGINE, type SyncEngine } from './sync-engine.ts';
export { type CycleTimeouts, type GatewaySyncRequest, syncGateway } from './sync-gateway.ts';
export { DEFAULT_VERIFY_INTERVAL_MS, SyncHistory, type SyncHistoryOptions } from './sync-history.ts';
