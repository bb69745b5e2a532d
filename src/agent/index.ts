// Public API of the sync agent (the sidecar in each annotated gateway pod). Only src/cli imports it.

export { type AgentReason, AgentReasons } from '../reasons/index.ts';
export {
  type AgentConfig,
  type AgentConfigResult,
  type AgentFlags,
  type AgentIdentity,
  type AgentRouting,
  type AgentSettings,
  resolveAgentConfig,
} from './agent-config.ts';
export { type DesiredStateRead, readDesiredState } from './desired-state.ts';
export {
  failedReport,
  type GatewayReport,
  isLabelValue,
  outcomeReport,
  parseReportConfigMap,
  pausedReport,
  pendingReport,
  type ReportContext,
  reportConfigMap,
  reportText,
  syncingReport,
} from './gateway-report.ts';
export { gatewayApiOf, gatewayTargetOf } from './gateway-target-of.ts';
export { gitAuthOf } from './git-auth-of.ts';
export type { ConfigMap } from './kube-objects.ts';
export { type ListenAddress, parseListenAddress } from './listen-address.ts';
export { DEFAULT_RETRY_POLICY, type RetryPolicy, retryDelayMs } from './retry-policy.ts';
export { AgentExitCode, type RunAgentOptions, runAgent } from './run-agent.ts';
export { secretFile } from './secret-file.ts';
export { type ProfileSelection, type SelectedProfile, selectProfile } from './select-profile.ts';
export { SyncAgent, type SyncAgentOptions } from './sync-agent.ts';
