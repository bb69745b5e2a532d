export { CommitLagTracker, type GatewayPosition } from './commit-lag-tracker.ts';
export { createLogger, createSilentLogger, type Logger, type LoggerConfig, REDACT_PATHS } from './logger.ts';
export {
  type CreateMetricsRegistryOptions,
  createMetricsRegistry,
  type GatewaySyncObservation,
  IgnitionSyncMetrics,
  type MetricName,
  MetricNames,
  type RateLimiterLabel,
  type SyncKeyLabels,
  type SyncResultLabel,
  type WebhookVerdict,
  webhookVerdict,
} from './metrics.ts';
export { answerMetrics, isMetricsRequest, METRICS_PATH } from './metrics-endpoint.ts';
