export { type StandaloneReason, StandaloneReasons } from '../reasons/index.ts';
export { CommitApplier, type CommitApplierOptions, type GatewayProgress } from './commit-applier.ts';
export { ConcurrencyGate } from './concurrency-gate.ts';
export { type GatewayReport, type OnceJsonGateway, toOnceJson } from './gateway-report.ts';
export { gitAuthFromSpec } from './git-auth-from-spec.ts';
export { type ListenAddress, parseListenAddress } from './listen-address.ts';
export { type LoadRunConfigResult, loadRunConfig } from './load-run-config.ts';
export { profileIssues } from './profile-checks.ts';
export { RefResolver, type RefResolverOptions, type ResolvedTarget } from './ref-resolver.ts';
export { RequestedRef, RequestedRefStore } from './requested-ref-store.ts';
export {
  type OutputFormat,
  RunExitCode,
  type RunStandaloneOptions,
  runStandalone,
} from './run-standalone.ts';
export { type SecretRef, SecretsDir } from './secrets-dir.ts';
export {
  DEFAULT_NAMESPACE,
  type GatewayRouting,
  resolveStandaloneConfig,
  type StandaloneConfig,
  type StandaloneGateway,
  type StandaloneSync,
  syncKeyOf,
} from './standalone-config.ts';
export { StandaloneRunner, type StandaloneRunnerOptions } from './standalone-runner.ts';
export { StartRateLimiter, type StartRateLimiterOptions } from './start-rate-limiter.ts';
export { renderStatusTable, StatusBoard, type StatusRow, TtyStatusPainter } from './status-table.ts';
export { SyncWorker, type SyncWorkerOptions, type Trigger } from './sync-worker.ts';
export { WebhookKeyCache } from './webhook-key-cache.ts';
