import { verifyHmacSha256 } from '../verify-secret.ts';
import type { WebhookHeaders } from '../webhook-event.ts';
import { parseGithubStyleEvent } from './github-style-events.ts';
import type { WebhookProvider } from './webhook-provider.ts';

function giteaFamily(name: 'gitea' | 'forgejo', header: string): WebhookProvider {
  const eventHeader = `x-${header}-event`;
  return {
    name,
    matches: (headers: WebhookHeaders) => headers[eventHeader] !== undefined,
    mediaTypes: ['application/json', 'application/x-www-form-urlencoded'],
    authenticate: (request, key) =>
      verifyHmacSha256({
        key,
        body: request.body,
        header: request.headers[`x-${header}-signature`],
        prefix: '',
      }),
    parse: (request) => parseGithubStyleEvent(request.headers[eventHeader], request),
    deliveryId: (headers) => headers[`x-${header}-delivery`],
  };
}

/**
 * Forgejo: `X-Forgejo-Event`, `X-Forgejo-Signature: <hex HMAC-SHA256>` (no prefix), `X-Forgejo-Delivery`.
 * Forgejo also sends the Gitea and GitHub headers, so it is matched first.
 */
export const forgejoProvider: WebhookProvider = giteaFamily('forgejo', 'forgejo');

/** Gitea: `X-Gitea-Event`, `X-Gitea-Signature: <hex HMAC-SHA256>` (no prefix), `X-Gitea-Delivery`. */
export const giteaProvider: WebhookProvider = giteaFamily('gitea', 'gitea');
