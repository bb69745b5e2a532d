import {
  hasStandardWebhooksHeader,
  standardWebhooksHeaders,
  timestampSkewSeconds,
  verifyStandardWebhooks,
} from '../verify-secret.ts';
import type { WebhookHeaders, WebhookRequest } from '../webhook-event.ts';

/**
 * The Standard Webhooks scheme as a provider part (GitLab's signing token, and any generic sender that
 * uses it): applies when `webhook-signature` is sent; then `webhook-id` and `webhook-timestamp` must be
 * present too and one `v1` signature must match.
 */
export const standardWebhooks = {
  applies: (headers: WebhookHeaders): boolean => hasStandardWebhooksHeader(headers),
  authenticate: (request: WebhookRequest, key: Buffer): boolean =>
    verifyStandardWebhooks({ key, body: request.body, headers: standardWebhooksHeaders(request.headers) }),
  freshness(headers: WebhookHeaders, nowMs: number, windowSeconds: number): string | undefined {
    const timestamp = headers['webhook-timestamp'];
    if (timestamp === undefined) return undefined;
    const skew = timestampSkewSeconds(timestamp, nowMs);
    if (skew === undefined) return 'webhook-timestamp is not an integer number of Unix seconds';
    if (Math.abs(skew) <= windowSeconds) return undefined;
    const where = skew > 0 ? `${skew} s in the past` : `${-skew} s in the future`;
    return `webhook-timestamp is ${where}; deliveries more than ${windowSeconds} s from this receiver's clock are refused as replays (check the sender's and the receiver's clocks)`;
  },
  deliveryId: (headers: WebhookHeaders): string | undefined => headers['webhook-id'],
} as const;
