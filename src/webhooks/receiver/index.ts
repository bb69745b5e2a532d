export { type ReceiverReason, ReceiverReasons } from '../../reasons/index.ts';
export { DeliveryCache } from './delivery-cache.ts';
export { detectProvider, PROVIDERS } from './providers/detect-provider.ts';
export type { WebhookProvider } from './providers/webhook-provider.ts';
export {
  bearerToken,
  constantTimeEqual,
  hmacSha256Hex,
  verifyHmacSha256,
  verifyToken,
} from './verify-secret.ts';
export { decideWebhookAction, type WebhookAction } from './webhook-decision.ts';
export type {
  ParseResult,
  ProviderName,
  RefSource,
  WebhookDecision,
  WebhookEvent,
  WebhookHeaders,
  WebhookRequest,
} from './webhook-event.ts';
export {
  DEFAULT_BODY_LIMIT_BYTES,
  type Preflight,
  parseWebhookPath,
  WebhookHandler,
  type WebhookHandlerOptions,
  type WebhookResponse,
  type WebhookTarget,
} from './webhook-handler.ts';
export { createWebhookReceiver, type WebhookRequestListener } from './webhook-receiver.ts';
