import type { ParseResult, ProviderName, WebhookHeaders, WebhookRequest } from '../webhook-event.ts';

/**
 * One sender's scheme, pure: which requests are its own, which media types it sends, how it authenticates
 * (against the key from the target's `spec.webhook.secretRef`), how its body reads, and its delivery ID.
 */
export interface WebhookProvider {
  readonly name: ProviderName;
  /** True when the headers mark the request as this sender's (checked in a fixed order, first match wins). */
  matches(headers: WebhookHeaders): boolean;
  /** Accepted media types (lower-case, no parameters). */
  readonly mediaTypes: readonly string[];
  /** True when the request carries valid credentials for `key`. Constant time in the secret. */
  authenticate(request: WebhookRequest, key: Buffer): boolean;
  /**
   * For schemes with a signed timestamp: why the delivery is outside the replay window (`windowSeconds`
   * either way of `nowMs`), or undefined when it is inside (or the scheme has no timestamp). Asked only
   * after `authenticate` passed, so only a key holder learns it.
   */
  freshness?(headers: WebhookHeaders, nowMs: number, windowSeconds: number): string | undefined;
  /** Parses an authenticated body into the ref to sync, an ignore reason, or why it is malformed. */
  parse(request: WebhookRequest): ParseResult;
  /** The sender's per-delivery ID, used to answer repeated deliveries idempotently. */
  deliveryId(headers: WebhookHeaders): string | undefined;
}
