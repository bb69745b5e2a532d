import { verifyHmacSha256 } from '../verify-secret.ts';
import { parseGithubStyleEvent } from './github-style-events.ts';
import type { WebhookProvider } from './webhook-provider.ts';

/**
 * GitHub: `X-GitHub-Event`, `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`,
 * `X-GitHub-Delivery`. Both content types GitHub offers (`application/json` and form-encoded `payload=`).
 */
export const githubProvider: WebhookProvider = {
  name: 'github',
  matches: (headers) => headers['x-github-event'] !== undefined,
  mediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
  authenticate: (request, key) =>
    verifyHmacSha256({
      key,
      body: request.body,
      header: request.headers['x-hub-signature-256'],
      prefix: 'sha256=',
    }),
  parse: (request) => parseGithubStyleEvent(request.headers['x-github-event'], request),
  deliveryId: (headers) => headers['x-github-delivery'],
};
