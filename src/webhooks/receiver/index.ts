export { type ReceiverReason, ReceiverReasons } from '../../reasons/index.ts';
export { DeliveryCache } from './delivery-cache.ts';
export { detectProvider, PROVIDERS } from './providers/detect-provider.ts';
export type { WebhookProvider } from './providers/webhook-provider.ts';
export { normalizeRepoUrl } from './repo-url.ts';
export {
  bearerToken,
  constantTimeEqual,
  hmacSha256Hex,
  standardWebhooksKey,
  verifyHmacSha256,
  verifyStandardWebhooks,
  verifyToken,
} from './verify-secret.ts';
export {
  decideWebhookAction,
  isSameRef,
  pinnedMessage,
  type RefPin,
  selectCandidate,
  type WebhookAction,
  type WebhookTargetState,
} from './webhook-decision.ts';
export type {
  ParseResult,
  ProviderName,
  RefCandidate,
  RefSource,
  WebhookDecision,
  WebhookEvent,
  WebhookHeaders,
  WebhookRequest,
} from './webhook-event.ts';
export {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_REPLAY_WINDOW_SECONDS,
  type Preflight,
  parseWebhookPath,
  WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookResponse,
  type WebhookTarget,
} from './webhook-handler.ts';
export {
  createWebhookReceiver,
  DEFAULT_DISCARD_LIMIT_BYTES,
  type WebhookReceiverOptions,
  type WebhookRequestListener,
} from './webhook-receiver.ts';
