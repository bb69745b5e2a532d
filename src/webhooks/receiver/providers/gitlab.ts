import { z } from 'zod';
import { verifyToken } from '../verify-secret.ts';
import type { ParseResult, WebhookRequest } from '../webhook-event.ts';
import { parseFullRef } from './github-style-events.ts';
import { isZeroCommit, readJsonPayload, reportedCommit } from './json-payload.ts';
import { standardWebhooks } from './standard-webhooks.ts';
import type { WebhookProvider } from './webhook-provider.ts';

const GitlabPayload = z.object({
  object_kind: z.string(),
  ref: z.string().optional(),
  after: z.string().nullish(),
  checkout_sha: z.string().nullish(),
  action: z.string().optional(),
  tag: z.string().optional(),
});

function parseGitlab(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, GitlabPayload);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  const body = payload.value;
  switch (body.object_kind) {
    case 'push':
    case 'tag_push': {
      if (body.ref === undefined) return { kind: 'malformed', message: 'push payload has no ref' };
      if (isZeroCommit(body.after)) return { kind: 'ignored', reason: 'ref deleted' };
      const result = parseFullRef(body.ref);
      return result.kind === 'event'
        ? { ...result, ...reportedCommit(body.checkout_sha ?? body.after) }
        : result;
    }
    case 'release':
      if (body.action !== 'create' || body.tag === undefined) {
        return { kind: 'ignored', reason: `release action ${body.action ?? 'unknown'} is not create` };
      }
      return { kind: 'event', ref: `refs/tags/${body.tag}`, refSource: 'tag' };
    default:
      return { kind: 'ignored', reason: `event ${body.object_kind} does not trigger a sync` };
  }
}

/**
 * GitLab: `X-Gitlab-Event` (Push Hook, Tag Push Hook, Release Hook), `X-Gitlab-Event-UUID` per delivery.
 * Authentication: the signing token (Standard Webhooks: `webhook-id`, `webhook-timestamp`,
 * `webhook-signature: v1,<base64>`, replay window) when GitLab sends it — then the secret token is not
 * looked at — else `X-Gitlab-Token: <secret token>` compared as a whole. Deleted refs are ignored.
 */
export const gitlabProvider: WebhookProvider = {
  name: 'gitlab',
  matches: (headers) => headers['x-gitlab-event'] !== undefined,
  mediaTypes: ['application/json'],
  authenticate: (request, key) =>
    standardWebhooks.applies(request.headers)
      ? standardWebhooks.authenticate(request, key)
      : verifyToken(key, request.headers['x-gitlab-token']),
  freshness: (headers, nowMs, windowSeconds) =>
    standardWebhooks.applies(headers) ? standardWebhooks.freshness(headers, nowMs, windowSeconds) : undefined,
  parse: parseGitlab,
  deliveryId: (headers) => headers['x-gitlab-event-uuid'] ?? standardWebhooks.deliveryId(headers),
};
