import { z } from 'zod';
import { verifyHmacSha256 } from '../verify-secret.ts';
import type { ParseResult, WebhookRequest } from '../webhook-event.ts';
import { readJsonPayload, reportedCommit } from './json-payload.ts';
import type { WebhookProvider } from './webhook-provider.ts';

const CloudPush = z.object({
  push: z.object({
    changes: z.array(
      z.object({
        new: z
          .object({ type: z.string(), name: z.string(), target: z.object({ hash: z.string() }).optional() })
          .nullable(),
      }),
    ),
  }),
});

const ServerRefsChanged = z.object({
  changes: z.array(
    z.object({
      ref: z.object({ id: z.string(), type: z.string().optional() }),
      toHash: z.string().optional(),
      type: z.string(),
    }),
  ),
});

interface Candidate {
  readonly ref: string;
  readonly isTag: boolean;
  readonly commit: string | undefined;
}

/** A push may carry several ref changes; a tag wins over a branch, then the first one in order. */
function pickChange(candidates: readonly Candidate[]): ParseResult {
  const chosen = candidates.find((c) => c.isTag) ?? candidates[0];
  if (chosen === undefined) return { kind: 'ignored', reason: 'ref deleted' };
  return {
    kind: 'event',
    ref: chosen.ref,
    refSource: chosen.isTag ? 'tag' : 'branch',
    ...reportedCommit(chosen.commit),
  };
}

function parseCloudPush(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, CloudPush);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  const candidates: Candidate[] = [];
  for (const change of payload.value.push.changes) {
    if (change.new === null || (change.new.type !== 'tag' && change.new.type !== 'branch')) continue;
    const isTag = change.new.type === 'tag';
    const ref = `${isTag ? 'refs/tags/' : 'refs/heads/'}${change.new.name}`;
    candidates.push({ ref, isTag, commit: change.new.target?.hash });
  }
  return pickChange(candidates);
}

function parseServerRefsChanged(request: WebhookRequest): ParseResult {
  const payload = readJsonPayload(request, ServerRefsChanged);
  if (!payload.ok) return { kind: 'malformed', message: payload.message };
  const candidates: Candidate[] = [];
  for (const change of payload.value.changes) {
    if (change.type === 'DELETE') continue;
    const ref = change.ref.id;
    if (!ref.startsWith('refs/tags/') && !ref.startsWith('refs/heads/')) continue;
    candidates.push({ ref, isTag: ref.startsWith('refs/tags/'), commit: change.toHash });
  }
  return pickChange(candidates);
}

function parseBitbucket(request: WebhookRequest): ParseResult {
  const event = request.headers['x-event-key'];
  switch (event) {
    case 'repo:push':
      return parseCloudPush(request);
    case 'repo:refs_changed':
      return parseServerRefsChanged(request);
    case 'diagnostics:ping':
      return { kind: 'ignored', reason: 'ping' };
    default:
      return { kind: 'ignored', reason: `event ${event ?? 'unknown'} does not trigger a sync` };
  }
}

/**
 * Bitbucket Cloud (`X-Event-Key: repo:push`, `X-Request-UUID`) and Bitbucket Server/Data Center
 * (`repo:refs_changed`, `X-Request-Id`), both signing with `X-Hub-Signature: sha256=<hex HMAC-SHA256>`.
 */
export const bitbucketProvider: WebhookProvider = {
  name: 'bitbucket',
  matches: (headers) => headers['x-event-key'] !== undefined,
  mediaTypes: ['application/json'],
  authenticate: (request, key) =>
    verifyHmacSha256({
      key,
      body: request.body,
      header: request.headers['x-hub-signature'],
      prefix: 'sha256=',
    }),
  parse: parseBitbucket,
  deliveryId: (headers) => headers['x-request-uuid'] ?? headers['x-request-id'],
};
