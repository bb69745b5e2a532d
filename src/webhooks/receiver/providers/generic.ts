import { z } from 'zod';
import { bearerToken, verifyHmacSha256, verifyToken } from '../verify-secret.ts';
import type { ParseResult, WebhookRequest } from '../webhook-event.ts';
import { readJsonPayload } from './json-payload.ts';
import type { WebhookProvider } from './webhook-provider.ts';

const RefBody = z.object({ ref: z.string() });

function parseGeneric(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, RefBody);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  const ref = payload.value.ref.trim();
  // Argo CD renders a missing annotation as "": say so instead of syncing nothing.
  if (ref === '') return { kind: 'malformed', message: 'ref is empty' };
  return { kind: 'event', ref, refSource: 'explicit' };
}

/**
 * Senders that name the ref to deploy: `{"ref": "<branch|tag|sha>"}` (other fields ignored). This is the
 * body of the Argo CD notification template and the Kargo `http` step in the seed, and of any script.
 * Authentication: `Authorization: Bearer <key>` (Argo CD and Kargo cannot sign), or
 * `X-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>` for senders that can.
 * Delivery ID: `Idempotency-Key`, `X-Delivery-Id` or `X-Request-Id`, when sent.
 * A missing Content-Type is read as JSON (the Kargo `http` step sends none unless told).
 */
export const genericProvider: WebhookProvider = {
  name: 'generic',
  matches: () => true,
  mediaTypes: ['application/json', ''],
  authenticate: (request: WebhookRequest, key: Buffer) => {
    const signature = request.headers['x-signature-256'];
    if (signature !== undefined) {
      return verifyHmacSha256({ key, body: request.body, header: signature, prefix: 'sha256=' });
    }
    return verifyToken(key, bearerToken(request.headers.authorization));
  },
  parse: parseGeneric,
  deliveryId: (headers) => headers['idempotency-key'] ?? headers['x-delivery-id'] ?? headers['x-request-id'],
};
