import { bearerToken, verifyHmacSha256, verifyToken } from '../verify-secret.ts';
import type { WebhookHeaders, WebhookRequest } from '../webhook-event.ts';
import { parseGenericBody } from './generic-body.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import type { WebhookProvider } from './webhook-provider.ts';

/** Hex HMAC-SHA256 signature headers generic senders use, in the order they are looked at. */
const HMAC_HEADERS = [
  'x-hub-signature-256', // GitHub-style clients
  'x-signature-256', // this project's curl recipe
  'x-signature', // Flux notification-controller `generic-hmac` provider
] as const;

function authenticateGeneric(request: WebhookRequest, key: Buffer): boolean {
  if (standardWebhooks.applies(request.headers)) return standardWebhooks.authenticate(request, key);
  const signed = HMAC_HEADERS.find((h) => request.headers[h] !== undefined);
  if (signed !== undefined) {
    return verifyHmacSha256({ key, body: request.body, header: request.headers[signed], prefix: 'sha256=' });
  }
  return verifyToken(key, bearerToken(request.headers.authorization));
}

/**
 * Senders that name the ref to deploy: scripts, Argo CD notifications, Kargo steps, Flux
 * `generic`/`generic-hmac` alerts (bodies: see `generic-body.ts`).
 * Authentication, first scheme present wins (a signature header is never bypassed by a bearer token):
 * Standard Webhooks (`webhook-id`/`-timestamp`/`-signature`), then `X-Hub-Signature-256`,
 * `X-Signature-256` or `X-Signature` carrying `sha256=<hex HMAC-SHA256 of the raw body>`, then
 * `Authorization: Bearer <key>` (Argo CD and Kargo cannot sign).
 * Delivery ID: `webhook-id`, `Idempotency-Key`, `X-Delivery-Id` or `X-Request-Id`, when sent.
 * A missing Content-Type is read as JSON (the Kargo `http` step sends none unless told); curl's default
 * `application/x-www-form-urlencoded` is read as JSON when the body is JSON, else as `ref=<ref>`.
 */
export const genericProvider: WebhookProvider = {
  name: 'generic',
  matches: () => true,
  mediaTypes: ['application/json', 'application/x-www-form-urlencoded', ''],
  authenticate: authenticateGeneric,
  freshness: (headers, nowMs, windowSeconds) =>
    standardWebhooks.applies(headers) ? standardWebhooks.freshness(headers, nowMs, windowSeconds) : undefined,
  parse: parseGenericBody,
  deliveryId: (headers: WebhookHeaders) =>
    standardWebhooks.deliveryId(headers) ??
    headers['idempotency-key'] ??
    headers['x-delivery-id'] ??
    headers['x-request-id'],
};
