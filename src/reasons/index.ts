// The one reason registry (see README.md). Every folder imports it through this file.
export { type AgentReason, AgentReasons } from './agent.ts';
export { type ApiReason, ApiReasons, ManifestReasons } from './api.ts';
export { type CliReason, CliReasons } from './cli.ts';
export { type ControllerReason, ControllerReasons } from './controller.ts';
export {
  REASON_CONDITIONS,
  type ReasonCondition,
  type ReasonEntry,
  type ReasonKind,
} from './define-reasons.ts';
export { type GatewayReason, GatewayReasons } from './gateway.ts';
export { type GatewaySyncReason, GatewaySyncReasons } from './gateway-sync.ts';
export { GIT_REASON_KINDS, type GitReason, GitReasons } from './git.ts';
export { type InjectionReason, InjectionReasons } from './injection.ts';
export { KUBE_STATUS_REASONS, type KubeReason, KubeReasons } from './kube.ts';
export { renderReasonsTable, withReasonsTable } from './reasons-table.ts';
export { type ReceiverReason, ReceiverReasons } from './receiver.ts';
export {
  defaultErrorKind,
  isReason,
  kindOf,
  REASON_PARTS,
  REASONS,
  type Reason,
  type ReasonInfo,
  type ReasonPart,
  reasonInfo,
} from './registry.ts';
export { type StandaloneReason, StandaloneReasons } from './standalone.ts';
export { type SyncReason, SyncReasons } from './sync.ts';
